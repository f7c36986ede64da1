namespace ProviderPortal.Domain.Plans;

/// <summary>Where a migration plan stands. Replication, cutover and their states arrive with the workers.</summary>
public enum PlanStatus
{
    /// <summary>Being prepared: VMs, method and options can change; nothing is copied yet.</summary>
    Draft = 0,
}
