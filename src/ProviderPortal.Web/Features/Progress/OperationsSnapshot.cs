using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>What provider staff see of replication across tenants: names, states and figures, no credentials or paths.</summary>
public sealed record OperationsSnapshot(
    IReadOnlyList<OperationsCopy> Copies,
    IReadOnlyList<OperationsPlan> Plans,
    IReadOnlyList<OperationsWorker> Workers,
    DateTimeOffset TakenAt);

public sealed record OperationsCopy(
    Guid TaskId,
    Guid TenantId,
    string TenantName,
    Guid PlanId,
    string PlanName,
    string VmName,
    ReplicationTaskKind Kind,
    ReplicationTaskState State,
    int Attempts,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    string? WorkerName,
    long BytesDone,
    long BytesTotal,
    bool PlanPaused = false);

public sealed record OperationsPlan(Guid PlanId, Guid TenantId, string TenantName, string Name, PlanStatus Status, int VmCount, int? ThrottleMbps, DateTimeOffset? StartedAt);

public sealed record OperationsWorker(Guid SessionId, string TenantName, string WorkerName, string Node, bool IsLocal, int Slots, string Version, DateTimeOffset ConnectedAt, DateTimeOffset LastSeenAt);
