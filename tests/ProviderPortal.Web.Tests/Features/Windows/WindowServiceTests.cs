using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>
/// Booking cutover windows on real SQLite: times entered in the tenant's zone, every booking rule refused in plain words
/// with nothing saved, the provider's capacity shared by every tenant without one seeing another's windows, staff
/// decisions, proposals taken, moves and cancellations, and another tenant's window out of reach.
/// </summary>
public sealed class WindowServiceTests(WindowWorld world) : IClassFixture<WindowWorld>
{
    [Fact]
    public async Task Request_InTheRules_IsRequestedAtTheTenantsWallClockTime()
    {
        var plan = await world.DraftAsync(world.A, "svc-wall-clock");
        var local = WindowWorld.Local(4, 22);

        var result = await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, local, TimeSpan.FromMinutes(90)));

        Assert.True(result.Succeeded, result.Message);
        var window = Assert.Single(await world.WindowsOfAsync(plan));
        Assert.Equal(MaintenanceWindowStatus.Requested, window.Status);
        Assert.Equal("Europe/Paris", window.TimeZoneId);
        Assert.Equal(local, TimeZoneInfo.ConvertTime(window.StartsAt, WindowWorld.Paris).DateTime);
        Assert.Equal(TimeSpan.FromMinutes(90), window.EndsAt - window.StartsAt);
        Assert.Equal(world.A.Member.Email, window.RequestedBy);
    }

    [Fact]
    public async Task Request_BreakingARule_RefusedInPlainWords_NothingSaved()
    {
        var plan = await world.DraftAsync(world.A, "svc-refused");
        var member = TestUsers.MemberOf(world.A);

        var tooSoon = await world.AsAsync(member, s => s.RequestAsync(plan, DateTime.UtcNow.AddHours(5), TimeSpan.FromHours(1)));
        Assert.Contains("at least 48 h from now", tooSoon.Errors[BookingRules.StartsAt]);

        var tooShort = await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(5, 3), TimeSpan.FromMinutes(10)));
        Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", tooShort.Errors[BookingRules.EndsAt]);

        var inBlackout = await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.BlackoutStart.UtcDateTime.AddHours(12), TimeSpan.FromHours(1)));
        Assert.Contains("blackout \"Core network change\"", inBlackout.Errors[BookingRules.StartsAt]);

        var othersPlan = await world.DraftAsync(world.B, "svc-not-yours");
        var notYours = await world.AsAsync(member, s => s.RequestAsync(othersPlan, WindowWorld.Local(5, 4), TimeSpan.FromHours(1)));
        Assert.Equal("Choose one of your plans.", notYours.Errors["Plan"]);

        Assert.Empty(await world.WindowsOfAsync(plan));
        Assert.Empty(await world.WindowsOfAsync(othersPlan));
    }

    [Fact]
    public async Task Request_LengthOutsideTheLimits_RefusedNamingThem_NeverShortenedNorAnError()
    {
        var plan = await world.DraftAsync(world.A, "svc-length");
        var member = TestUsers.MemberOf(world.A);

        foreach (var length in new[] { TimeSpan.FromMinutes(99_999), TimeSpan.FromMinutes(-20), TimeSpan.MaxValue })
        {
            var result = await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(5, 2), length));
            Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", result.Errors[BookingRules.EndsAt]);
        }

        Assert.Empty(await world.WindowsOfAsync(plan));
    }

    [Fact]
    public async Task Request_StartOnTheCalendarsLastDay_RefusedInWordsNotAnError()
    {
        var planA = await world.DraftAsync(world.A, "svc-year-9999-a");
        var planB = await world.DraftAsync(world.B, "svc-year-9999-b");
        var last = new DateTime(9999, 12, 31, 22, 0, 0);

        var paris = await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(planA, last, TimeSpan.FromHours(4)));
        var newYork = await world.AsAsync(TestUsers.MemberOf(world.B), s => s.RequestAsync(planB, last, TimeSpan.FromHours(1)));

        Assert.Equal("Choose a day between today and the end of the year 9998.", paris.Errors[BookingRules.StartsAt]);
        Assert.Equal("Choose a day between today and the end of the year 9998.", newYork.Errors[BookingRules.StartsAt]);
        Assert.Empty(await world.WindowsOfAsync(planA));
        Assert.Empty(await world.WindowsOfAsync(planB));
    }

    [Fact]
    public async Task Request_DaylightSavingGap_RefusedNamingTheTime()
    {
        var plan = await world.DraftAsync(world.A, "svc-dst");
        var spring = new DateTime(DateTime.UtcNow.Year + 1, 3, 31, 2, 30, 0);
        while (!WindowWorld.Paris.IsInvalidTime(spring))
        {
            spring = spring.AddDays(-1);
        }

        var result = await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, spring, TimeSpan.FromHours(1)));

        Assert.Contains("does not exist in Europe/Paris", result.Errors[BookingRules.StartsAt]);
        Assert.Empty(await world.WindowsOfAsync(plan));
    }

    [Fact]
    public async Task Capacity_IsSharedByEveryTenant_ButATenantNeverSeesAnothersWindow()
    {
        var planA = await world.DraftAsync(world.A, "svc-capacity-a");
        var planB = await world.DraftAsync(world.B, "svc-capacity-b");
        var startUtc = DateTime.UtcNow.Date.AddDays(6).AddHours(14);
        var booked = await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(planA, TimeZoneInfo.ConvertTimeFromUtc(startUtc, WindowWorld.Paris), TimeSpan.FromHours(1)));
        Assert.True(booked.Succeeded, booked.Message);

        // The provider takes one cutover an hour: tenant B cannot have that hour, and is told so without A being named.
        var refused = await world.AsAsync(TestUsers.MemberOf(world.B), s => s.RequestAsync(planB, TimeZoneInfo.ConvertTimeFromUtc(startUtc.AddMinutes(30), WindowWorld.NewYork), TimeSpan.FromHours(1)));
        Assert.Contains("capacity is taken", refused.Errors[BookingRules.StartsAt]);
        Assert.DoesNotContain(world.A.Name, refused.Message);
        Assert.Empty(await world.WindowsOfAsync(planB));

        var from = new DateTimeOffset(startUtc.AddHours(-2), TimeSpan.Zero);
        var calendarB = await world.AsAsync(TestUsers.MemberOf(world.B), s => s.CalendarAsync(from, from.AddHours(6)));
        Assert.DoesNotContain(calendarB.Windows, w => w.PlanId == planA);
        Assert.Equal(0, calendarB.Hours.Single(h => h.Hour == new DateTimeOffset(startUtc, TimeSpan.Zero)).Free);
        Assert.Equal(1, calendarB.Hours.Single(h => h.Hour == new DateTimeOffset(startUtc.AddHours(2), TimeSpan.Zero)).Free);
        Assert.DoesNotContain(await world.AsAsync(TestUsers.MemberOf(world.B), s => s.ListAsync()), w => w.TenantId == world.A.Id);

        // Staff see both tenants' windows on their schedule.
        var staff = await world.AsAsync(TestUsers.ProviderOperator, s => s.CalendarAsync(from, from.AddHours(6)));
        Assert.Contains(staff.Windows, w => w.PlanId == planA && w.TenantName == world.A.Name);
    }

    [Fact]
    public async Task Staff_ApproveRejectPropose_TenantTakesTheProposal()
    {
        var approvedPlan = await world.DraftAsync(world.A, "svc-approve");
        var rejectedPlan = await world.DraftAsync(world.A, "svc-reject");
        var proposedPlan = await world.DraftAsync(world.A, "svc-propose");
        var member = TestUsers.MemberOf(world.A);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(approvedPlan, WindowWorld.Local(7, 1), TimeSpan.FromHours(1)))).Succeeded);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(rejectedPlan, WindowWorld.Local(7, 3), TimeSpan.FromHours(1)))).Succeeded);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(proposedPlan, WindowWorld.Local(7, 5), TimeSpan.FromHours(1)))).Succeeded);
        var queue = await world.AsAsync(TestUsers.ProviderOperator, s => s.QueueAsync());
        var approve = queue.Single(w => w.PlanId == approvedPlan);
        var reject = queue.Single(w => w.PlanId == rejectedPlan);
        var propose = queue.Single(w => w.PlanId == proposedPlan);

        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(approve.Id))).Succeeded);
        Assert.Equal(MaintenanceWindowStatus.Approved, (await world.WindowAsync(approve.Id)).Status);
        Assert.Equal("A window that is approved cannot be approved.", (await world.AsAsync(TestUsers.ProviderAdmin, s => s.ApproveAsync(approve.Id))).Message);

        Assert.Equal("Give a reason.", (await world.AsAsync(TestUsers.ProviderOperator, s => s.RejectAsync(reject.Id, " "))).Message);
        Assert.Equal(MaintenanceWindowStatus.Requested, (await world.WindowAsync(reject.Id)).Status);
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.RejectAsync(reject.Id, "Our storage team is busy that night."))).Succeeded);
        var rejected = await world.WindowAsync(reject.Id);
        Assert.Equal((MaintenanceWindowStatus.Rejected, "Our storage team is busy that night."), (rejected.Status, rejected.Reason));

        var proposal = WindowWorld.Local(8, 5);
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ProposeAsync(propose.Id, proposal, TimeSpan.FromHours(2)))).Succeeded);
        var row = (await world.AsAsync(member, s => s.ListAsync())).Single(w => w.Id == propose.Id);
        Assert.True(row.HasProposal);
        Assert.True((await world.AsAsync(member, s => s.AcceptProposalAsync(propose.Id))).Succeeded);
        var taken = await world.WindowAsync(propose.Id);
        Assert.Equal(MaintenanceWindowStatus.Requested, taken.Status);
        Assert.Equal(proposal, TimeZoneInfo.ConvertTime(taken.StartsAt, WindowWorld.Paris).DateTime);
        Assert.Equal(TimeSpan.FromHours(2), taken.Duration);
        Assert.Null(taken.ProposedStartsAt);
    }

    [Fact]
    public async Task Staff_ActionsByATenantUser_AreRefusedOutright()
    {
        var plan = await world.DraftAsync(world.A, "svc-not-staff");
        Assert.True((await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, WindowWorld.Local(9, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() => world.AsAsync(TestUsers.AdminOf(world.A), s => s.ApproveAsync(id)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.AsAsync(TestUsers.AdminOf(world.A), s => s.QueueAsync()));
        Assert.Equal(MaintenanceWindowStatus.Requested, (await world.WindowAsync(id)).Status);
    }

    [Fact]
    public async Task MoveAndCancel_ApprovedWindowMovedWaitsAgain_AnotherTenantsWindowDoesNotExist()
    {
        var plan = await world.DraftAsync(world.A, "svc-move");
        var member = TestUsers.MemberOf(world.A);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(12, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(id))).Succeeded);

        var again = await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(13, 1), TimeSpan.FromHours(1)));
        Assert.Contains("already has a window", again.Errors["Plan"]);

        Assert.True((await world.AsAsync(member, s => s.RescheduleAsync(id, WindowWorld.Local(12, 4), TimeSpan.FromHours(1)))).Succeeded);
        var moved = await world.WindowAsync(id);
        Assert.Equal(MaintenanceWindowStatus.Requested, moved.Status);
        Assert.Null(moved.DecidedBy);

        var intruder = TestUsers.MemberOf(world.B);
        Assert.Equal("That window does not exist.", (await world.AsAsync(intruder, s => s.CancelAsync(id, "mine now"))).Message);
        Assert.Equal("That window does not exist.", (await world.AsAsync(intruder, s => s.RescheduleAsync(id, WindowWorld.Local(14, 1), TimeSpan.FromHours(1)))).Message);
        Assert.Equal(MaintenanceWindowStatus.Requested, (await world.WindowAsync(id)).Status);

        Assert.Null(await world.AsAsync(intruder, s => s.ForPlanAsync(plan)));
        Assert.Equal(id, (await world.AsAsync(member, s => s.ForPlanAsync(plan)))!.Id);
        Assert.Equal(id, (await world.AsAsync(TestUsers.ProviderOperator, s => s.ForPlanAsync(plan)))!.Id);

        Assert.True((await world.AsAsync(member, s => s.CancelAsync(id, "The application team is on holiday."))).Succeeded);
        var cancelled = await world.WindowAsync(id);
        Assert.Equal((MaintenanceWindowStatus.Cancelled, "The application team is on holiday."), (cancelled.Status, cancelled.Reason));

        // Cancelled windows hold no capacity: the plan can book again, and its page shows the open window, not the old one.
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(12, 4), TimeSpan.FromHours(1)))).Succeeded);
        var current = await world.AsAsync(member, s => s.ForPlanAsync(plan));
        Assert.NotEqual(id, current!.Id);
        Assert.Equal(MaintenanceWindowStatus.Requested, current.Status);
    }

    [Fact]
    public async Task PlanCancelled_ItsApprovedWindowIsCancelledToo_StaffTold()
    {
        var plan = await world.DraftAsync(world.A, "svc-plan-cancelled");
        var member = TestUsers.MemberOf(world.A);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(15, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(id))).Succeeded);

        // Cancelling a plan is its organisation's administrators' decision (PlanPermissions).
        var cancelled = await world.Factory.AsUserAsync(TestUsers.AdminOf(world.A), s => s.GetRequiredService<PlanRunService>().CancelAsync(plan, "The project was stopped."));

        Assert.True(cancelled.Succeeded, cancelled.Message);
        var window = await world.WindowAsync(id);
        Assert.Equal((MaintenanceWindowStatus.Cancelled, "The plan was cancelled."), (window.Status, window.Reason));
        var told = await world.Factory.SingleEmailAsync("operator@provider.example", "Window cancelled: Tenant windows-a, svc-plan-cancelled");
        Assert.Contains("The plan was cancelled.", told.TextBody);

        // The admins hold the approved window's calendar event: it is withdrawn, the same event (its UID), not a new one.
        var approved = Invite(await world.Factory.SingleEmailAsync(world.A.Admin.Email!, "Cutover window approved for svc-plan-cancelled"));
        var withdrawn = Invite(await world.Factory.SingleEmailAsync(world.A.Admin.Email!, "Cutover window cancelled for svc-plan-cancelled"));
        Assert.Equal(("REQUEST", "CANCEL"), (approved.Method, withdrawn.Method));
        Assert.Equal(Assert.Single(approved.Events).Uid, Assert.Single(withdrawn.Events).Uid);
        Assert.True(withdrawn.Events[0]!.Sequence >= approved.Events[0]!.Sequence);
        Assert.DoesNotContain(await world.Factory.EmailsToAsync(world.B.Admin.Email!), m => m.Subject.Contains("svc-plan-cancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovedWindowMoved_AdminsToldTheApprovalIsPending_TheirCalendarEventWithdrawn()
    {
        var plan = await world.DraftAsync(world.A, "svc-moved-invite");
        var member = TestUsers.MemberOf(world.A);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(24, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(id))).Succeeded);

        Assert.True((await world.AsAsync(member, s => s.RescheduleAsync(id, WindowWorld.Local(24, 5), TimeSpan.FromHours(1)))).Succeeded);

        var moved = await world.Factory.SingleEmailAsync(world.A.Admin.Email!, "Cutover window moved for svc-moved-invite");
        Assert.Contains("waits for the provider's approval again", moved.TextBody);
        var approved = Invite(await world.Factory.SingleEmailAsync(world.A.Admin.Email!, "Cutover window approved for svc-moved-invite"));
        var withdrawn = Invite(moved);
        Assert.Equal("CANCEL", withdrawn.Method);
        Assert.Equal(Assert.Single(approved.Events).Uid, Assert.Single(withdrawn.Events).Uid);
        Assert.Equal(MaintenanceWindowStatus.Requested, (await world.WindowAsync(id)).Status);
    }

    private static Ical.Net.Calendar Invite(ProviderPortal.Domain.Email.OutboxMessage message)
    {
        Assert.Equal("invite.ics", message.AttachmentName);
        return Ical.Net.Calendar.Load(message.AttachmentText!)!;
    }

    [Fact]
    public async Task StaffPageOpenForMinutes_TenantCancelsMeanwhile_ApproveIsRefusedAndTheCancelStands()
    {
        var plan = await world.DraftAsync(world.A, "svc-stale-approve");
        var member = TestUsers.MemberOf(world.A);
        Assert.True((await world.AsAsync(member, s => s.RequestAsync(plan, WindowWorld.Local(16, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;

        // The operator's page (one context for the whole circuit) has read the window while it was still requested.
        await using var staffPage = world.Factory.ScopeFor(TestUsers.ProviderOperator);
        var staffDb = staffPage.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(MaintenanceWindowStatus.Requested, (await staffDb.MaintenanceWindows.SingleAsync(w => w.Id == id)).Status);

        Assert.True((await world.AsAsync(member, s => s.CancelAsync(id, "We found a conflict with payroll."))).Succeeded);
        var approve = await staffPage.ServiceProvider.GetRequiredService<WindowService>().ApproveAsync(id);

        Assert.Equal("A window that is cancelled cannot be approved.", approve.Message);
        var window = await world.WindowAsync(id);
        Assert.Equal((MaintenanceWindowStatus.Cancelled, "We found a conflict with payroll."), (window.Status, window.Reason));
    }

    [Fact]
    public async Task TwoWritersOfOneWindow_TheSecondSaveIsRefused_NotSilentlyOverwritten()
    {
        var plan = await world.DraftAsync(world.A, "svc-two-writers");
        Assert.True((await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, WindowWorld.Local(16, 3), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;
        await using var first = world.Factory.ScopeFor(TestUsers.ProviderOperator);
        await using var second = world.Factory.ScopeFor(TestUsers.AdminOf(world.A));
        var firstDb = first.ServiceProvider.GetRequiredService<PortalDbContext>();
        var secondDb = second.ServiceProvider.GetRequiredService<PortalDbContext>();
        var approving = await firstDb.MaintenanceWindows.SingleAsync(w => w.Id == id);
        var cancelling = await secondDb.MaintenanceWindows.SingleAsync(w => w.Id == id);

        cancelling.Cancel("Changed our minds.", DateTimeOffset.UtcNow);
        await secondDb.SaveChangesAsync();
        approving.Approve("operator@provider.example", DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => firstDb.SaveChangesAsync());
        Assert.Equal(MaintenanceWindowStatus.Cancelled, (await world.WindowAsync(id)).Status);
    }

    [Fact]
    public async Task Propose_TenantChangedItsZoneSinceBooking_TheTimeIsReadInTheWindowsZoneAsStaffSawIt()
    {
        var tenant = await world.Factory.CreateTenantAsync("windows-moved-zone");
        var environment = await Plans.PlanWorld.SeedEnvironmentAsync(world.Factory, tenant);
        var plan = await Plans.PlanWorld.SeedDraftAsync(world.Factory, tenant, environment, "svc-zone-moved");
        Assert.True((await world.AsAsync(TestUsers.MemberOf(tenant), s => s.RequestAsync(plan, WindowWorld.Local(17, 1), TimeSpan.FromHours(1)))).Succeeded);
        var id = Assert.Single(await world.WindowsOfAsync(plan)).Id;
        await world.Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var row = await db.Tenants.SingleAsync(t => t.Id == tenant.Id);
            row.Update(row.ToDetails() with { TimeZoneId = "America/New_York" });
            return await db.SaveChangesAsync();
        });

        var proposal = WindowWorld.Local(18, 5);
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ProposeAsync(id, proposal, TimeSpan.FromHours(1)))).Succeeded);

        var window = await world.WindowAsync(id);
        Assert.Equal("Europe/Paris", window.TimeZoneId);
        Assert.Equal(proposal, TimeZoneInfo.ConvertTime(window.ProposedStartsAt!.Value, WindowWorld.Paris).DateTime);
    }
}
