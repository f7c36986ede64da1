using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// The register dialog's form. <see cref="Secret"/> lives only in the circuit's memory until it is saved
/// encrypted; it is never rendered back into the page.
/// </summary>
public sealed class EnvironmentDraft
{
    public string Name { get; set; } = "";

    public EnvironmentKind Kind { get; set; } = EnvironmentKind.VCenter;

    public string? Endpoint { get; set; }

    public string? UserName { get; set; }

    public string? Secret { get; set; }

    /// <summary>The thumbprint the user chose to trust in the test step; null until then.</summary>
    public string? TrustedThumbprint { get; set; }

    public int SyncIntervalMinutes { get; set; } = 60;

    /// <summary>vCenter only, optional: read disks from an NBD location instead of the datastores.</summary>
    public string? NbdUriTemplate { get; set; }

    /// <summary>Xen Orchestra only, optional: the pool master's XAPI, for changed-block deltas.</summary>
    public string? HypervisorEndpoint { get; set; }

    public string? HypervisorUserName { get; set; }

    /// <summary>Like <see cref="Secret"/>: held only until it is saved encrypted.</summary>
    public string? HypervisorSecret { get; set; }

    public string? HypervisorThumbprint { get; set; }

    public bool HasHypervisor => Kind == EnvironmentKind.XenOrchestra && !string.IsNullOrWhiteSpace(HypervisorEndpoint);

    public EnvironmentDetails ToDetails() => new(Name, Kind, Endpoint, UserName)
    {
        NbdUriTemplate = NbdUriTemplate,
        HypervisorEndpoint = HypervisorEndpoint,
        HypervisorUserName = HypervisorUserName,
    };
}
