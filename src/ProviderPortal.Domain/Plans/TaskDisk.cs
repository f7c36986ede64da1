namespace ProviderPortal.Domain.Plans;

/// <summary>
/// One disk of a replication task: where it goes, the change id its delta starts from (null: everything allocated), and
/// how far it is. <see cref="CheckpointPlanId"/>/<see cref="CheckpointOffset"/> are the engine's last durable checkpoint
/// (everything of that copy plan below the offset is on the destination and flushed); a new attempt resumes there.
/// </summary>
public sealed record TaskDisk(
    string DiskKey,
    string Target,
    long CapacityBytes,
    string? SinceChangeId,
    string? CheckpointPlanId = null,
    long CheckpointOffset = 0,
    bool Done = false,
    long BytesTotal = 0,
    long BytesDone = 0,
    long BytesWritten = 0);
