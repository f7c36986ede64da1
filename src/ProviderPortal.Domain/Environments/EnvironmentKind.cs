namespace ProviderPortal.Domain.Environments;

/// <summary>The platform an environment runs on.</summary>
public enum EnvironmentKind
{
    /// <summary>The built-in lab: VMs whose disks are sparse image files on the portal's machine.</summary>
    Lab = 0,

    /// <summary>VMware vCenter, over SOAP vim25.</summary>
    VCenter = 1,

    /// <summary>Xen Orchestra, over its REST API.</summary>
    XenOrchestra = 2,
}
