namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>
/// How to reach an environment. <see cref="Secret"/> is a password (vCenter) or an authentication token
/// (Xen Orchestra); it never appears in <see cref="ToString"/>. A null <see cref="TrustedThumbprint"/>
/// means the certificate is not trusted yet: only <see cref="ICertificateProbe"/> may talk to the server then.
/// </summary>
public sealed record ConnectionSettings(EnvironmentKind Kind, Uri Endpoint, string? UserName, string? Secret, string? TrustedThumbprint)
{
    /// <summary>How long one request may take before it fails with <see cref="ConnectorErrorKind.Timeout"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a platform task (snapshot, power, reconfigure) may run before the wait gives up.</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Lab only: the folder holding the lab's disks and state.</summary>
    public string? LabRoot { get; init; }

    /// <summary>
    /// vCenter only: read snapshot disks from this NBD location instead of datastore HTTP range reads, e.g. an
    /// nbdkit vddk plugin the provider runs. Placeholders: {vm}, {snapshot}, {disk} (the device key).
    /// </summary>
    public string? NbdUriTemplate { get; init; }

    /// <summary>Xen Orchestra only: direct access to the pool master's XAPI, for changed blocks (CBT) and NBD reads.</summary>
    public HypervisorAccess? Hypervisor { get; init; }

    public override string ToString() => $"{Kind} {Endpoint} as {UserName ?? "(token)"}";
}
