using ProviderPortal.Domain.Windows;

namespace ProviderPortal.Domain.Tests.Windows;

/// <summary>Every booking rule of a cutover window, allowed at its boundary and refused just past it.</summary>
public class BookingRulesTests
{
    private static readonly DateTimeOffset Now = Given.Now; // 2026-03-01 09:00 UTC
    private static readonly BookingPolicy Policy = new(TimeSpan.FromHours(48), 1.5, TimeSpan.FromMinutes(30), TimeSpan.FromHours(24), 2, []);
    private static readonly DateTimeOffset Start = Now.AddHours(48); // exactly the lead time

    private static IReadOnlyDictionary<string, string> Check(DateTimeOffset start, TimeSpan length, TimeSpan? downtime = null, BookingPolicy? policy = null, params (DateTimeOffset, DateTimeOffset)[] others) =>
        BookingRules.Check(start, start + length, downtime, others, policy ?? Policy, Now);

    [Fact]
    public void Check_ExactlyTheLeadTimeAndTheMinimum_IsAllowed() =>
        Assert.Empty(Check(Start, TimeSpan.FromMinutes(30)));

    [Fact]
    public void Check_OneMinuteInsideTheLeadTime_IsRefused()
    {
        var errors = Check(Start.AddMinutes(-1), TimeSpan.FromHours(1));

        Assert.Equal("A cutover window must start at least 48 h from now, so the provider can prepare it.", errors[BookingRules.StartsAt]);
    }

    [Fact]
    public void Check_ShorterThanTheMinimum_IsRefusedNamingTheLimits() =>
        Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", Check(Start, TimeSpan.FromMinutes(29))[BookingRules.EndsAt]);

    [Fact]
    public void Check_ForecastDowntimeTimesTheSafetyFactor_IsTheShortestWindow()
    {
        // 40 min forecast × 1.5 = 60 min.
        Assert.Empty(Check(Start, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(40)));
        Assert.Equal(
            "The window must last at least 60 min: the forecast downtime of 40 min times the safety margin of 1.5.",
            Check(Start, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(40))[BookingRules.EndsAt]);
    }

    [Fact]
    public void Check_SmallForecastDowntime_TheMinimumStillHolds() =>
        Assert.Equal(TimeSpan.FromMinutes(30), BookingRules.Needed(TimeSpan.FromMinutes(5), Policy));

    [Fact]
    public void Check_LongerThanTheMaximum_IsRefusedNamingTheLimits() =>
        Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", Check(Start, TimeSpan.FromHours(25))[BookingRules.EndsAt]);

    [Theory]
    [InlineData(99_999)]
    [InlineData(-20)]
    [InlineData(0)]
    public void CheckDuration_OutsideTheLimits_RefusedNamingThem(int minutes) =>
        Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", BookingRules.CheckDuration(TimeSpan.FromMinutes(minutes), null, Policy));

    [Fact]
    public void CheckDuration_LongerThanAnyDate_RefusedWithoutWorkingOutTheEnd() =>
        Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", BookingRules.CheckDuration(TimeSpan.MaxValue, null, Policy));

    [Fact]
    public void CheckDuration_WithinTheLimits_IsAllowed()
    {
        Assert.Null(BookingRules.CheckDuration(TimeSpan.FromMinutes(30), null, Policy));
        Assert.Null(BookingRules.CheckDuration(TimeSpan.FromHours(24), null, Policy));
    }

    [Fact]
    public void Check_EndBeforeStart_IsRefusedAlone() =>
        Assert.Equal("The window must end after it starts.", Assert.Single(Check(Start, TimeSpan.FromMinutes(-5))).Value);

    [Fact]
    public void Check_TouchingABlackout_IsAllowed_OverlappingIt_IsRefusedByName()
    {
        var blackout = new Blackout("Year-end freeze", Start.AddHours(1), Start.AddHours(5));
        var policy = Policy with { Blackouts = [blackout] };

        Assert.Empty(Check(Start, TimeSpan.FromHours(1), policy: policy));
        var errors = Check(Start, TimeSpan.FromMinutes(61), policy: policy);

        Assert.Contains("Year-end freeze", errors[BookingRules.StartsAt], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SecondHourOfTwoIsFull_IsRefusedNamingThatHour()
    {
        // Capacity 2 per hour: two other tenants' windows fill 10:00-11:00 on the day; the first hour has room.
        var day = Start.Date;
        var start = new DateTimeOffset(day, TimeSpan.Zero).AddHours(9);
        var other = (start.AddHours(1).AddMinutes(15), start.AddHours(1).AddMinutes(45));

        var errors = Check(start.AddDays(1), TimeSpan.FromHours(2), others: [(other.Item1.AddDays(1), other.Item2.AddDays(1)), (other.Item1.AddDays(1), other.Item2.AddDays(1))]);

        Assert.Contains($"{start.AddDays(1).AddHours(1):yyyy-MM-dd HH:mm} UTC", errors[BookingRules.StartsAt], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneOtherWindowInTheHour_LeavesRoom() =>
        Assert.Empty(Check(Start.AddHours(2), TimeSpan.FromHours(1), others: [(Start.AddHours(2), Start.AddHours(3))]));

    [Fact]
    public void FreeCapacity_CountsOverlappingWindowsPerHour_AndBlackoutsAsFull()
    {
        var hour = new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
        var policy = Policy with { Blackouts = [new Blackout("maintenance", hour.AddHours(2), hour.AddHours(3))] };

        var free = BookingRules.FreeCapacity(hour.AddMinutes(30), hour.AddHours(3), [(hour.AddMinutes(10), hour.AddMinutes(70))], policy);

        Assert.Equal([(hour, 1), (hour.AddHours(1), 1), (hour.AddHours(2), 0)], free);
    }

    [Fact]
    public void AtRisk_BaselinesDone_IsNotAtRisk() =>
        Assert.Null(BookingRules.AtRisk(true, null, Start, Now));

    [Fact]
    public void AtRisk_BaselineNeedsLongerThanTheTimeLeft_IsFlagged()
    {
        Assert.Null(BookingRules.AtRisk(false, TimeSpan.FromHours(48), Start, Now));
        Assert.Equal(
            "The plan's baseline copies need about 2881 min more and will not be done by the window's start.",
            BookingRules.AtRisk(false, TimeSpan.FromHours(48).Add(TimeSpan.FromSeconds(1)), Start, Now));
    }

    [Fact]
    public void AtRisk_BaselineNotDoneAndNoForecast_IsFlagged() =>
        Assert.Equal("The plan's baseline copies are not done and their end cannot be forecast yet.", BookingRules.AtRisk(false, null, Start, Now));
}
