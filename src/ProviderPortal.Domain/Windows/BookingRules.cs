using System.Globalization;

namespace ProviderPortal.Domain.Windows;

/// <summary>
/// Whether a requested cutover window may be booked under the provider's <see cref="BookingPolicy"/>, and how much room
/// each hour has left. Pure: the caller passes the other windows that hold capacity (requested or approved, every tenant).
/// </summary>
public static class BookingRules
{
    public const string StartsAt = nameof(StartsAt);
    public const string EndsAt = nameof(EndsAt);

    /// <summary>Every rule the window breaks, in plain words, keyed by field; empty when it may be booked.</summary>
    /// <param name="forecastDowntime">The assessment's forecast downtime of the plan's group; null when there is none.</param>
    /// <param name="others">The other windows holding capacity (not this one), as UTC intervals.</param>
    public static IReadOnlyDictionary<string, string> Check(
        DateTimeOffset startsAt, DateTimeOffset endsAt, TimeSpan? forecastDowntime, IEnumerable<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)> others, BookingPolicy policy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string>();
        if (endsAt <= startsAt)
        {
            errors[EndsAt] = "The window must end after it starts.";
            return errors;
        }

        if (startsAt < now + policy.LeadTime)
        {
            errors[StartsAt] = $"A cutover window must start at least {Hours(policy.LeadTime)} from now, so the provider can prepare it.";
        }

        if (CheckDuration(endsAt - startsAt, forecastDowntime, policy) is { } length)
        {
            errors[EndsAt] = length;
        }

        if (policy.Blackouts.FirstOrDefault(b => b.StartsAt < endsAt && startsAt < b.EndsAt) is { } blackout)
        {
            errors.TryAdd(StartsAt, $"The window overlaps the provider's blackout \"{blackout.Name}\" ({blackout.StartsAt:yyyy-MM-dd HH:mm} to {blackout.EndsAt:yyyy-MM-dd HH:mm} UTC); choose another time.");
        }
        else if (FullHours(startsAt, endsAt, others, policy).Cast<DateTimeOffset?>().FirstOrDefault() is { } full)
        {
            errors.TryAdd(StartsAt, $"The provider's cutover capacity is taken in the hour from {full:yyyy-MM-dd HH:mm} UTC; choose another time.");
        }

        return errors;
    }

    /// <summary>
    /// Why a window cannot last <paramref name="duration"/>, naming the limits; null when it can. Callers check a typed length
    /// with this before they work out the end, which a length of years would carry past any date.
    /// </summary>
    public static string? CheckDuration(TimeSpan duration, TimeSpan? forecastDowntime, BookingPolicy policy)
    {
        var needed = Needed(forecastDowntime, policy);
        if (duration >= needed && duration <= policy.MaximumDuration)
        {
            return null;
        }

        return duration > TimeSpan.Zero && duration < needed && forecastDowntime is { } downtime && needed > policy.MinimumDuration
            ? $"The window must last at least {Minutes(needed)}: the forecast downtime of {Minutes(downtime)} times the safety margin of {policy.SafetyFactor.ToString("0.##", CultureInfo.InvariantCulture)}."
            : $"A window lasts between {Minutes(needed)} and {Hours(policy.MaximumDuration)} ({policy.MaximumDuration.TotalMinutes.ToString("N0", CultureInfo.InvariantCulture)} min).";
    }

    /// <summary>The shortest window the plan may book: the forecast downtime times the safety factor, never under the minimum.</summary>
    public static TimeSpan Needed(TimeSpan? forecastDowntime, BookingPolicy policy) =>
        forecastDowntime is { } downtime && downtime * policy.SafetyFactor > policy.MinimumDuration ? downtime * policy.SafetyFactor : policy.MinimumDuration;

    /// <summary>How many more cutovers each clock hour from <paramref name="from"/> to <paramref name="to"/> can take (for the calendar).</summary>
    public static IReadOnlyList<(DateTimeOffset Hour, int Free)> FreeCapacity(
        DateTimeOffset from, DateTimeOffset to, IEnumerable<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)> windows, BookingPolicy policy)
    {
        var taken = windows.ToList();
        var hours = new List<(DateTimeOffset, int)>();
        for (var hour = HourOf(from); hour < to; hour = hour.AddHours(1))
        {
            var end = hour.AddHours(1);
            var blackedOut = policy.Blackouts.Any(b => b.StartsAt < end && hour < b.EndsAt);
            var used = taken.Count(w => w.StartsAt < end && hour < w.EndsAt);
            hours.Add((hour, blackedOut ? 0 : Math.Max(0, policy.MaxConcurrentCutoversPerHour - used)));
        }

        return hours;
    }

    /// <summary>
    /// Whether an approved window is at risk: its plan's baselines will not all be on the destination by its start.
    /// <paramref name="baselineRemaining"/> is the forecast time the remaining baselines need (null: unknown).
    /// </summary>
    public static string? AtRisk(bool baselinesDone, TimeSpan? baselineRemaining, DateTimeOffset startsAt, DateTimeOffset now)
    {
        if (baselinesDone)
        {
            return null;
        }

        if (baselineRemaining is not { } remaining)
        {
            return "The plan's baseline copies are not done and their end cannot be forecast yet.";
        }

        return now + remaining > startsAt
            ? $"The plan's baseline copies need about {Minutes(remaining)} more and will not be done by the window's start."
            : null;
    }

    private static IEnumerable<DateTimeOffset> FullHours(DateTimeOffset startsAt, DateTimeOffset endsAt, IEnumerable<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)> others, BookingPolicy policy) =>
        FreeCapacity(startsAt, endsAt, others, policy with { Blackouts = [] }).Where(h => h.Free == 0).Select(h => h.Hour);

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 1 && span.Minutes == 0 ? $"{span.TotalHours:0} h" : Minutes(span);

    private static string Minutes(TimeSpan span) => $"{Math.Ceiling(span.TotalMinutes):0} min";
}
