using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>One environment on the Environments page. No secret, not even encrypted, leaves the service.</summary>
public sealed record EnvironmentRow(
    Guid Id,
    string Name,
    EnvironmentKind Kind,
    string? Endpoint,
    string? UserName,
    string? TrustedThumbprint,
    EnvironmentStatus Status,
    string? LastError,
    SyncState SyncState,
    DateTimeOffset? LastSyncStartedAt,
    DateTimeOffset? LastSyncFinishedAt,
    DateTimeOffset? LastSyncSucceededAt,
    string? LastSyncError,
    int VmCount,
    int SyncIntervalMinutes)
{
    public bool IsLab => Kind == EnvironmentKind.Lab;

    public bool IsSyncing => SyncState is SyncState.Queued or SyncState.Running;

    /// <summary>
    /// A row stays the same row while it is the same environment: the table keys its rows by item, so a refresh that changes a
    /// row's figures updates it in place instead of rebuilding it, and a click landing during a refresh is not lost.
    /// </summary>
    public bool Equals(EnvironmentRow? other) => other is not null && other.Id == Id;

    public override int GetHashCode() => Id.GetHashCode();
}
