using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// Where a plan stands, read from the database: the plan, each VM with its latest copy and its disks, the copies of the
/// rounds still open (the group's figures), and the finished copies the rate chart is drawn from. The live reports are laid over it by <see cref="PlanProgressTracker"/>. It holds
/// no credentials and no destination paths (errors are scrubbed of them), so it may go to the browser as it is.
/// </summary>
public sealed record PlanProgressSnapshot(
    Guid PlanId,
    string Name,
    PlanStatus Status,
    string? StatusReason,
    string? DestinationName,
    PlanMethod Method,
    bool StartOnDestination,
    bool RemoveSourceAfterSuccess,
    int SyncIntervalMinutes,
    int? ThrottleMbps,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CutoverStartedAt,
    DateTimeOffset? CutoverEndedAt,
    IReadOnlyList<PlanVmSnapshot> Vms,
    IReadOnlyList<CopySnapshot> OpenRounds,
    IReadOnlyList<FinishedCopy> FinishedCopies,
    DateTimeOffset TakenAt,
    TimeSpan? ForecastInitialCopy = null,
    TimeSpan? ForecastDowntime = null);

/// <summary>
/// A VM of the plan: its replication state (null before the plan started), its latest copy, the bytes its earlier copies
/// moved (each copy's bytes done, as its progress showed them), and its disks.
/// </summary>
public sealed record PlanVmSnapshot(
    Guid? VmReplicationId,
    string VmId,
    string Name,
    int BootOrder,
    VmReplicationState? State,
    int Cycles,
    DateTimeOffset? LastCycleAt,
    long LastCycleBytes,
    double LastCycleSeconds,
    TimeSpan? Downtime,
    string? Error,
    CopySnapshot? LatestCopy,
    long EarlierCopiesBytes,
    IReadOnlyList<VmDiskSnapshot> Disks);

/// <summary>A VM disk: its label and size.</summary>
public sealed record VmDiskSnapshot(string DiskKey, string Label, long CapacityBytes);

/// <summary>
/// A copy of a VM, with each disk's size and bytes done as of its last checkpoint. Copies queued at the same moment with the
/// same kind form a round (every VM's baseline at the plan's start, one delta cycle, the cutover's final copies).
/// </summary>
public sealed record CopySnapshot(
    Guid TaskId,
    ReplicationTaskKind Kind,
    ReplicationTaskState State,
    int Attempts,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    IReadOnlyList<CopyDiskSnapshot> Disks)
{
    public bool IsActive => State is ReplicationTaskState.Queued or ReplicationTaskState.Running;
}

/// <summary>
/// One disk of a copy: the disk's capacity, the bytes to copy once the worker has measured them (0 before), and the bytes done.
/// </summary>
public sealed record CopyDiskSnapshot(string DiskKey, long CapacityBytes, long BytesTotal, long BytesDone, bool Done)
{
    /// <summary>The worker has said how much this copy holds (a disk with nothing to copy says so by being done).</summary>
    public bool Measured => Done || BytesTotal > 0;
}

/// <summary>A copy that succeeded: what the "replication rate vs. change rate" chart is drawn from.</summary>
public sealed record FinishedCopy(Guid VmReplicationId, ReplicationTaskKind Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long Bytes);
