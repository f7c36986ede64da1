using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Operations;

/// <summary>One tenant environment as provider staff see it: health only, no address, user or secret.</summary>
public sealed record EnvironmentOverviewRow(
    string TenantName,
    string Name,
    EnvironmentKind Kind,
    EnvironmentStatus Status,
    SyncState SyncState,
    DateTimeOffset? LastSyncSucceededAt,
    string? LastError,
    int VmCount,
    int ObservingAssessments);
