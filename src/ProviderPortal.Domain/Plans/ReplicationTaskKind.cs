namespace ProviderPortal.Domain.Plans;

/// <summary>
/// What a replication task copies: everything allocated, the changes of a cycle, or the last changes at cutover; or, for a
/// plan whose baseline travels by seed device, a VM's snapshot written onto the devices (at the customer's) and read back
/// from them into the destination (at the provider's).
/// </summary>
public enum ReplicationTaskKind
{
    Baseline = 0,
    Delta = 1,
    Final = 2,
    SeedLoad = 3,
    SeedIngest = 4,
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
