namespace ProviderPortal.Domain.Windows;

/// <summary>A period in which the provider takes no cutovers (a freeze, its own maintenance), in UTC.</summary>
public sealed record Blackout(string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// The provider's rules for booking cutover windows: how far ahead, how long at least (the forecast downtime times a
/// safety factor, and never under a minimum), when not (blackouts), and how many cutovers at once (per clock hour, across
/// every tenant).
/// </summary>
public sealed record BookingPolicy(
    TimeSpan LeadTime,
    double SafetyFactor,
    TimeSpan MinimumDuration,
    TimeSpan MaximumDuration,
    int MaxConcurrentCutoversPerHour,
    IReadOnlyList<Blackout> Blackouts)
{
    public static BookingPolicy Default { get; } = new(TimeSpan.FromHours(48), 1.5, TimeSpan.FromMinutes(30), TimeSpan.FromHours(24), 4, []);
}
