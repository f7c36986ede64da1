namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>A hypervisor API reached directly (XAPI of a Xen pool master), with its own login and certificate pin.</summary>
public sealed record HypervisorAccess(Uri Endpoint, string UserName, string Secret, string? TrustedThumbprint)
{
    public override string ToString() => $"{Endpoint} as {UserName}";
}
