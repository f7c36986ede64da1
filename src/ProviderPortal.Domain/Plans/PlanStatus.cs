namespace ProviderPortal.Domain.Plans;

/// <summary>
/// Where a migration plan stands. Transitions are <see cref="MigrationPlan"/> methods:
/// Draft → Replicating ⇄ Paused; Replicating → CuttingOver → Completed | RolledBack | Failed;
/// RolledBack → Replicating (the copies go on, a later cutover may try again); Draft, Replicating, Paused, RolledBack → Cancelled.
/// </summary>
public enum PlanStatus
{
    /// <summary>Being prepared: VMs, destination, networks and options can change; nothing is copied yet.</summary>
    Draft = 0,

    /// <summary>Baselines and delta cycles run; the sources keep running.</summary>
    Replicating = 1,

    /// <summary>Nothing is copied until resumed; copies that were running keep their checkpoints.</summary>
    Paused = 2,

    /// <summary>The group is being stopped, synced for the last time, verified and (if asked) started at the destination.</summary>
    CuttingOver = 3,

    /// <summary>Every VM of the group runs (or waits, switched off) at the destination.</summary>
    Completed = 4,

    /// <summary>The cutover failed before any destination ran; every source was powered on again.</summary>
    RolledBack = 5,

    /// <summary>The cutover failed after a destination VM was started, so it could not be undone by itself; staff look at it.</summary>
    Failed = 6,

    /// <summary>Given up; the sources were never touched, the copies stay on the destination until removed.</summary>
    Cancelled = 7,
}
