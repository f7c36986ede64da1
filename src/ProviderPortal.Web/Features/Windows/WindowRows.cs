using ProviderPortal.Domain.Windows;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>A window as the pages show it: its plan and tenant by name, times in UTC (pages write them in a zone).</summary>
public sealed record WindowRow(
    Guid Id,
    Guid TenantId,
    string TenantName,
    Guid PlanId,
    string PlanName,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZoneId,
    MaintenanceWindowStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    string? Reason,
    DateTimeOffset? ProposedStartsAt,
    DateTimeOffset? ProposedEndsAt,
    string? AtRiskReason,
    TimeSpan Needed)
{
    public bool IsOpen => Status is MaintenanceWindowStatus.Requested or MaintenanceWindowStatus.Approved;

    public bool HasProposal => ProposedStartsAt is not null && Status == MaintenanceWindowStatus.Requested;
}

/// <summary>A plan a window can be booked for, with the shortest window the rules allow it.</summary>
public sealed record BookablePlan(Guid Id, string Name, TimeSpan Needed, TimeSpan? ForecastDowntime);

/// <summary>One clock hour of the calendar: how many more cutovers the provider can take in it.</summary>
public sealed record CapacityHour(DateTimeOffset Hour, int Free, bool Blackout);

/// <summary>What the calendar shows for a period: the windows it may show and the provider's free capacity per hour.</summary>
public sealed record WindowCalendarData(IReadOnlyList<WindowRow> Windows, IReadOnlyList<CapacityHour> Hours, int MaxPerHour);
