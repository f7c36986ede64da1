using ProviderPortal.Domain.Windows;

namespace ProviderPortal.Domain.Tests.Windows;

/// <summary>Every transition of a cutover window, allowed and refused.</summary>
public class MaintenanceWindowTests
{
    private static readonly DateTimeOffset Start = Given.Now.AddDays(3);

    private static MaintenanceWindow Requested() =>
        MaintenanceWindow.Request(Guid.NewGuid(), Start, Start.AddHours(2), "Europe/Paris", "ada@acme.example", Given.Now);

    private static MaintenanceWindow InState(MaintenanceWindowStatus status)
    {
        var window = Requested();
        switch (status)
        {
            case MaintenanceWindowStatus.Approved:
                window.Approve("op@provider.example", Given.Now);
                break;
            case MaintenanceWindowStatus.Rejected:
                window.Reject("op@provider.example", "no staff that night", Given.Now);
                break;
            case MaintenanceWindowStatus.Cancelled:
                window.Cancel("plans changed", Given.Now);
                break;
            case MaintenanceWindowStatus.InProgress or MaintenanceWindowStatus.Completed or MaintenanceWindowStatus.Failed:
                window.Approve("op@provider.example", Given.Now);
                window.Begin(Start);
                if (status == MaintenanceWindowStatus.Completed)
                {
                    window.Complete(Start.AddHours(1));
                }
                else if (status == MaintenanceWindowStatus.Failed)
                {
                    window.Fail("rolled back", Start.AddHours(1));
                }

                break;
            case MaintenanceWindowStatus.Missed:
                window.Approve("op@provider.example", Given.Now);
                window.Miss("the baseline was not done", Start);
                break;
        }

        Assert.Equal(status, window.Status);
        return window;
    }

    public static TheoryData<MaintenanceWindowStatus> AllBut(params MaintenanceWindowStatus[] allowed) =>
        new(Enum.GetValues<MaintenanceWindowStatus>().Except(allowed));

    public static TheoryData<MaintenanceWindowStatus> NotRequested() => AllBut(MaintenanceWindowStatus.Requested);

    public static TheoryData<MaintenanceWindowStatus> NotApproved() => AllBut(MaintenanceWindowStatus.Approved);

    public static TheoryData<MaintenanceWindowStatus> NotInProgress() => AllBut(MaintenanceWindowStatus.InProgress);

    public static TheoryData<MaintenanceWindowStatus> NeitherRequestedNorApproved() => AllBut(MaintenanceWindowStatus.Requested, MaintenanceWindowStatus.Approved);

    [Fact]
    public void Request_KeepsUtcTimesAndTheTenantsTimeZone_AndHoldsCapacity()
    {
        var window = MaintenanceWindow.Request(Guid.NewGuid(), new DateTimeOffset(2026, 3, 5, 22, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.FromHours(1)), "Europe/Paris", "ada", Given.Now);

        Assert.Equal(new DateTimeOffset(2026, 3, 5, 21, 0, 0, TimeSpan.Zero), window.StartsAt);
        Assert.Equal(TimeSpan.Zero, window.StartsAt.Offset);
        Assert.Equal(TimeSpan.FromHours(2), window.Duration);
        Assert.Equal("Europe/Paris", window.TimeZoneId);
        Assert.True(window.HoldsCapacity);
    }

    [Fact]
    public void Request_UnknownTimeZone_IsRefusedPlainly()
    {
        var error = Assert.Throws<DomainException>(() => MaintenanceWindow.Request(Guid.NewGuid(), Start, Start.AddHours(1), "Mars/Olympus", "ada", Given.Now));

        Assert.Equal("\"Mars/Olympus\" is not a time zone; use an IANA name such as Europe/Paris.", error.Message);
    }

    [Fact]
    public void Request_EndBeforeStart_IsRefused() =>
        Assert.Throws<DomainException>(() => MaintenanceWindow.Request(Guid.NewGuid(), Start, Start, "UTC", "ada", Given.Now));

    [Fact]
    public void Approve_Requested_RecordsWhoAndWhen()
    {
        var window = InState(MaintenanceWindowStatus.Approved);

        Assert.Equal("op@provider.example", window.DecidedBy);
        Assert.Equal(Given.Now, window.DecidedAt);
        Assert.True(window.HoldsCapacity);
    }

    [Theory]
    [MemberData(nameof(NotRequested))]
    public void Approve_NotRequested_IsRefused(MaintenanceWindowStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).Approve("op", Given.Now));

        Assert.Equal($"A window that is {status.ToString().ToLowerInvariant()} cannot be approved.", error.Message);
    }

    [Fact]
    public void Reject_WithoutReason_IsRefusedAndChangesNothing()
    {
        var window = Requested();

        Assert.Throws<DomainException>(() => window.Reject("op", " ", Given.Now));

        Assert.Equal(MaintenanceWindowStatus.Requested, window.Status);
    }

    [Fact]
    public void Reject_WithReason_FreesTheCapacity()
    {
        var window = InState(MaintenanceWindowStatus.Rejected);

        Assert.Equal("no staff that night", window.Reason);
        Assert.False(window.HoldsCapacity);
    }

    [Theory]
    [MemberData(nameof(NotRequested))]
    public void Reject_NotRequested_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Reject("op", "no", Given.Now));

    [Fact]
    public void Propose_ThenAccept_MovesTheWindowAndItStaysRequested()
    {
        var window = Requested();

        window.Propose(Start.AddDays(1), Start.AddDays(1).AddHours(3), "op", Given.Now);
        Assert.Equal(Start, window.StartsAt);
        window.AcceptProposal();

        Assert.Equal(MaintenanceWindowStatus.Requested, window.Status);
        Assert.Equal(Start.AddDays(1), window.StartsAt);
        Assert.Equal(TimeSpan.FromHours(3), window.Duration);
        Assert.Null(window.ProposedStartsAt);
    }

    [Fact]
    public void AcceptProposal_NothingProposed_IsRefused() =>
        Assert.Equal("No other time was proposed for this window.", Assert.Throws<DomainException>(() => Requested().AcceptProposal()).Message);

    [Theory]
    [MemberData(nameof(NotRequested))]
    public void Propose_NotRequested_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Propose(Start, Start.AddHours(1), "op", Given.Now));

    [Fact]
    public void Reschedule_Approved_GoesBackToRequestedForApprovalAgain()
    {
        var window = InState(MaintenanceWindowStatus.Approved);

        window.Reschedule(Start.AddDays(2), Start.AddDays(2).AddHours(2), "ada", Given.Now.AddHours(1));

        Assert.Equal(MaintenanceWindowStatus.Requested, window.Status);
        Assert.Equal(Start.AddDays(2), window.StartsAt);
        Assert.Null(window.DecidedBy);
    }

    [Theory]
    [MemberData(nameof(NeitherRequestedNorApproved))]
    public void Reschedule_AfterItStartedOrEnded_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Reschedule(Start, Start.AddHours(1), "ada", Given.Now));

    [Theory]
    [InlineData(MaintenanceWindowStatus.Requested)]
    [InlineData(MaintenanceWindowStatus.Approved)]
    public void Cancel_BeforeItStarts_FreesTheCapacity(MaintenanceWindowStatus status)
    {
        var window = InState(status);

        window.Cancel("plans changed", Given.Now);

        Assert.Equal(MaintenanceWindowStatus.Cancelled, window.Status);
        Assert.False(window.HoldsCapacity);
    }

    [Theory]
    [MemberData(nameof(NeitherRequestedNorApproved))]
    public void Cancel_OnceStartedOrEnded_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Cancel("too late", Given.Now));

    [Fact]
    public void Begin_BeforeItsStart_IsRefused()
    {
        var window = InState(MaintenanceWindowStatus.Approved);

        Assert.Equal("The window has not started yet.", Assert.Throws<DomainException>(() => window.Begin(Start.AddMinutes(-1))).Message);
        Assert.Equal(MaintenanceWindowStatus.Approved, window.Status);
    }

    [Theory]
    [MemberData(nameof(NotApproved))]
    public void Begin_NotApproved_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Begin(Start));

    [Theory]
    [MemberData(nameof(NotApproved))]
    public void Miss_NotApproved_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Miss("not ready", Start));

    [Fact]
    public void Expire_RequestedAtItsStart_MissedWithTheReason()
    {
        var window = Requested();

        Assert.Equal("The window has not started yet.", Assert.Throws<DomainException>(() => window.Expire(Start.AddMinutes(-1))).Message);
        window.Expire(Start);

        Assert.Equal((MaintenanceWindowStatus.Missed, "Its start came before it was approved."), (window.Status, window.Reason));
        Assert.False(window.HoldsCapacity);
    }

    [Theory]
    [MemberData(nameof(NotRequested))]
    public void Expire_NotRequested_IsRefused(MaintenanceWindowStatus status) =>
        Assert.Throws<DomainException>(() => InState(status).Expire(Start.AddHours(1)));

    [Fact]
    public void Miss_Approved_KeepsTheReason() =>
        Assert.Equal("the baseline was not done", InState(MaintenanceWindowStatus.Missed).Reason);

    [Theory]
    [MemberData(nameof(NotInProgress))]
    public void CompleteAndFail_NotInProgress_AreRefused(MaintenanceWindowStatus status)
    {
        Assert.Throws<DomainException>(() => InState(status).Complete(Start));
        Assert.Throws<DomainException>(() => InState(status).Fail("x", Start));
    }

    [Fact]
    public void FlagRisk_SetsAndClears()
    {
        var window = InState(MaintenanceWindowStatus.Approved);

        window.FlagRisk("baseline late");
        Assert.Equal("baseline late", window.AtRiskReason);
        window.FlagRisk(null);

        Assert.Null(window.AtRiskReason);
    }

    [Fact]
    public void TakeDueReminder_EachOnceInOrder_ALateRunSendsOnlyTheLatestDue()
    {
        var window = InState(MaintenanceWindowStatus.Approved);
        int[] hours = [24, 1];

        Assert.Null(window.TakeDueReminder(hours, Start.AddHours(-25)));
        Assert.Equal(24, window.TakeDueReminder(hours, Start.AddHours(-23)));
        Assert.Null(window.TakeDueReminder(hours, Start.AddHours(-22)));
        Assert.Equal(1, window.TakeDueReminder(hours, Start.AddMinutes(-50)));
        Assert.Null(window.TakeDueReminder(hours, Start.AddMinutes(-10)));
        Assert.Null(window.TakeDueReminder(hours, Start.AddMinutes(1)));

        var late = InState(MaintenanceWindowStatus.Approved);
        Assert.Equal(1, late.TakeDueReminder(hours, Start.AddMinutes(-30)));
        Assert.Null(late.TakeDueReminder(hours, Start.AddMinutes(-20)));
        Assert.Equal([1, 24], late.RemindersSent.Order());
    }

    [Theory]
    [InlineData(MaintenanceWindowStatus.Requested)]
    [InlineData(MaintenanceWindowStatus.Rejected)]
    [InlineData(MaintenanceWindowStatus.Cancelled)]
    [InlineData(MaintenanceWindowStatus.InProgress)]
    public void TakeDueReminder_WindowNotApproved_NoReminder(MaintenanceWindowStatus status) =>
        Assert.Null(InState(status).TakeDueReminder([24, 1], Start.AddMinutes(-30)));

    [Fact]
    public void Reschedule_AfterReminders_RemindsAgainForTheNewTime()
    {
        var window = InState(MaintenanceWindowStatus.Approved);
        Assert.Equal(24, window.TakeDueReminder([24, 1], Start.AddHours(-20)));

        window.Reschedule(Start.AddDays(2), Start.AddDays(2).AddHours(1), "ada@acme.example", Given.Now);
        window.Approve("op@provider.example", Given.Now);

        Assert.Empty(window.RemindersSent);
        Assert.Equal(24, window.TakeDueReminder([24, 1], Start.AddDays(2).AddHours(-20)));
    }
}
