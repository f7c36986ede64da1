namespace ProviderPortal.Domain.Plans;

/// <summary>
/// Where one VM of a plan stands: Pending → Baseline → Syncing ⇄ Paused → ReadyForCutover → CuttingOver →
/// Completed | RolledBack | Failed. Syncing means the baseline is on the destination and delta cycles run;
/// ReadyForCutover means a delta cycle ran after the baseline too, so what is left for the cutover is one cycle's changes.
/// </summary>
public enum VmReplicationState
{
    Pending = 0,
    Baseline = 1,
    Syncing = 2,
    Paused = 3,
    ReadyForCutover = 4,
    CuttingOver = 5,
    Completed = 6,
    RolledBack = 7,
    Failed = 8,
}
