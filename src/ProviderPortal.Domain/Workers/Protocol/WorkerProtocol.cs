using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Domain.Workers.Protocol;

/// <summary>
/// The conversation between the portal's worker hub (<see cref="HubPath"/>) and a worker, over SignalR with JSON.
/// The worker connects outbound with its tenant token (bearer), says <see cref="Hello"/>, then receives
/// <see cref="Assign"/>, <see cref="SetThrottle"/> and <see cref="Cancel"/>, and reports with the other methods.
/// Every report names its task; the hub accepts it only from the session the task is assigned to.
/// </summary>
public static class WorkerProtocol
{
    public const string HubPath = "/hubs/workers";

    /// <summary>The environment variable a worker reads its token from when no --token-file is given.</summary>
    public const string TokenVariable = "PROVIDERPORTAL_WORKER_TOKEN";

    // Worker → portal.
    public const string Hello = nameof(Hello);
    public const string SnapshotTaken = nameof(SnapshotTaken);
    public const string DiskPlanned = nameof(DiskPlanned);
    public const string Progress = nameof(Progress);
    public const string Checkpoint = nameof(Checkpoint);
    public const string DiskDone = nameof(DiskDone);
    public const string Completed = nameof(Completed);
    public const string Failed = nameof(Failed);

    // Portal → worker.
    public const string Assign = nameof(Assign);
    public const string SetThrottle = nameof(SetThrottle);
    public const string Cancel = nameof(Cancel);
}

/// <summary>What a worker says when it connects: who it is and how many copies it runs at once.</summary>
public sealed record WorkerHello(string WorkerName, string Version, int Slots, int ProcessId);

/// <summary>
/// The portal's answer to <see cref="WorkerHello"/>: the session, the tenant's bandwidth cap shared by all its copies,
/// and the folders the worker may write disk images under (its tenant's root on each local-storage destination).
/// A file target outside them is refused by the worker.
/// </summary>
public sealed record WorkerWelcome(Guid SessionId, string TenantName, long? TenantBytesPerSecond, IReadOnlyList<string> DestinationRoots);

/// <summary>
/// One copy of one VM. When <see cref="SnapshotId"/> is set an earlier attempt took the snapshot: the worker copies from
/// it and takes none. Otherwise it takes one named <see cref="SnapshotName"/> and reports it before copying.
/// After every disk is done it removes <see cref="PreviousSnapshotId"/> (the base the destination equalled before).
/// </summary>
public sealed record TaskAssignment(
    Guid TaskId,
    Guid PlanId,
    string VmId,
    string VmName,
    ReplicationTaskKind Kind,
    ConnectionSettings Source,
    string SnapshotName,
    string? SnapshotId,
    string? PreviousSnapshotId,
    IReadOnlyList<DiskAssignment> Disks,
    long? ThrottleBytesPerSecond,
    bool Verify,
    CopyTuning Tuning,
    SeedAssignment? Seed = null);

/// <summary>
/// A seed load or ingest's devices: their folders where the worker runs (in order; a disk larger than a device continues
/// on the next), each device's usable capacity, and the order's device key. The key travels only to a worker of the
/// order's tenant, like the source's credentials; it is never written to a device, a log or a browser.
/// </summary>
public sealed record SeedAssignment(IReadOnlyList<string> Folders, long? DeviceCapacityBytes, byte[] Key)
{
    /// <summary>The name of a VM's disk on the devices.</summary>
    public static string DiskId(string vmId, string diskKey) => $"{vmId}/{diskKey}";

    public override string ToString() => $"SeedAssignment {{ Folders = {string.Join(", ", Folders)}, DeviceCapacityBytes = {DeviceCapacityBytes} }}";
}

/// <summary>
/// One disk: its target (a file under the tenant's destination root, or an NBD URI), the change id the delta starts from
/// (null: every allocated area), and the checkpoint to resume from (for the same copy plan only).
/// </summary>
public sealed record DiskAssignment(string DiskKey, string Target, long CapacityBytes, string? SinceChangeId, string? CheckpointPlanId, long CheckpointOffset, bool Done);

/// <summary>A new rate for one running copy (<see cref="TaskId"/>), or for the tenant's cap shared by all (<see cref="TaskId"/> null). Null rate: unlimited.</summary>
public sealed record ThrottleUpdate(Guid? TaskId, long? BytesPerSecond);

/// <summary>Engine settings the portal chooses per copy (tests make checkpoints frequent).</summary>
public sealed record CopyTuning(long RangeSize, int Workers, double CheckpointEverySeconds, long CheckpointEveryBytes);

public sealed record SnapshotReport(Guid TaskId, string SnapshotId, Dictionary<string, string?> ChangeIds);

/// <summary>The size of a disk's copy once its changed areas are known.</summary>
public sealed record DiskPlannedReport(Guid TaskId, string DiskKey, long BytesTotal);

/// <summary>Sent about every 250 ms while copying: each disk's bytes done of its total and its current rate.</summary>
public sealed record ProgressReport(Guid TaskId, string Phase, IReadOnlyList<DiskProgressReport> Disks);

public sealed record DiskProgressReport(string DiskKey, long BytesDone, long BytesTotal, double BytesPerSecond);

/// <summary>Everything of copy plan <see cref="CopyPlanId"/> below <see cref="Offset"/> is durable on the target.</summary>
public sealed record CheckpointReport(Guid TaskId, string DiskKey, string CopyPlanId, long Offset, long BytesDone);

/// <summary>One disk done. A seed ingest also says how many chunks it verified against the devices' manifests.</summary>
public sealed record DiskDoneReport(Guid TaskId, string DiskKey, long BytesTotal, long BytesRead, long BytesWritten, bool Verified, long SeedChunks = 0);

public sealed record CompletedReport(Guid TaskId, double Seconds);

/// <summary>A failed attempt. <see cref="Retryable"/> is false when trying again cannot help (e.g. the disk is gone).</summary>
public sealed record FailedReport(Guid TaskId, string Message, bool Retryable);
