namespace ProviderPortal.Domain.Windows;

/// <summary>
/// Where a cutover window stands: Requested → Approved | Rejected | Cancelled; Approved → InProgress → Completed | Failed |
/// Missed (and Approved → Cancelled, or back to Requested when the tenant moves it). Transitions are
/// <see cref="MaintenanceWindow"/> methods.
/// </summary>
public enum MaintenanceWindowStatus
{
    Requested = 0,
    Approved = 1,
    Rejected = 2,
    Cancelled = 3,
    InProgress = 4,
    Completed = 5,
    Failed = 6,
    Missed = 7,
}
