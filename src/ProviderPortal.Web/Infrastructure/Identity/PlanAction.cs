namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>What a user may do to a migration plan; who may do each is <see cref="PlanPermissions"/>.</summary>
public enum PlanAction
{
    /// <summary>Open the plan's page and follow its progress.</summary>
    View,

    /// <summary>Make a draft plan (from an assessment) and configure it: destination, networks, options.</summary>
    Prepare,

    /// <summary>Start replication: the source VMs are snapshotted and copied from then on.</summary>
    Start,

    /// <summary>Pause, resume, change the throttle, sync now.</summary>
    Control,

    /// <summary>Start the cutover: the source VMs are shut down.</summary>
    Cutover,

    /// <summary>Give the plan up.</summary>
    Cancel,
}
