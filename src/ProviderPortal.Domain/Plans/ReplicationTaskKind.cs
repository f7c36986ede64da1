namespace ProviderPortal.Domain.Plans;

/// <summary>What a replication task copies: everything allocated, the changes of a cycle, or the last changes at cutover.</summary>
public enum ReplicationTaskKind
{
    Baseline = 0,
    Delta = 1,
    Final = 2,
}

/// <summary>Queued → Running → Succeeded | Failed; Running → Queued when its worker is lost or the plan pauses; Queued, Running → Cancelled.</summary>
public enum ReplicationTaskState
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}
