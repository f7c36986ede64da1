using ProviderPortal.Domain.Windows;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>The provider's booking rules for cutover windows (configuration section <c>Windows</c>).</summary>
public sealed class WindowOptions
{
    public double LeadTimeHours { get; set; } = 48;

    public double SafetyFactor { get; set; } = 1.5;

    public int MinimumMinutes { get; set; } = 30;

    public int MaximumHours { get; set; } = 24;

    /// <summary>How many cutovers the provider's staff can run in one clock hour, across every tenant.</summary>
    public int MaxConcurrentCutoversPerHour { get; set; } = 4;

    /// <summary>Periods without cutovers (freezes, the provider's own maintenance), in UTC.</summary>
    public List<BlackoutOption> Blackouts { get; set; } = [];

    /// <summary>Hours before an approved window's start at which its tenant admins are reminded (24 and 1 when none are set).</summary>
    /// <remarks>Empty by default: the configuration binder adds to a list, it does not replace it.</remarks>
    public List<int> ReminderHours { get; set; } = [];

    public IReadOnlyCollection<int> Reminders => ReminderHours.Count == 0 ? [24, 1] : [.. ReminderHours.Where(h => h > 0).Distinct()];

    /// <summary>How often the window clock looks for windows to start, miss or remind.</summary>
    public int CheckSeconds { get; set; } = 30;

    public BookingPolicy ToPolicy() => new(
        TimeSpan.FromHours(LeadTimeHours),
        SafetyFactor,
        TimeSpan.FromMinutes(MinimumMinutes),
        TimeSpan.FromHours(MaximumHours),
        MaxConcurrentCutoversPerHour,
        [.. Blackouts.Where(b => b.EndsAt > b.StartsAt).Select(b => new Blackout(b.Name, b.StartsAt.ToUniversalTime(), b.EndsAt.ToUniversalTime()))]);
}

public sealed class BlackoutOption
{
    public string Name { get; set; } = "Blackout";

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }
}
