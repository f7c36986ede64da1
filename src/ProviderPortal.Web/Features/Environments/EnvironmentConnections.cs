using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Infrastructure;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>Builds the connection settings of a saved environment or of a form being filled in, and the connector for them.</summary>
public sealed class EnvironmentConnections(ISourceConnectorFactory factory, EnvironmentSecrets secrets, IConfiguration configuration)
{
    /// <summary>How long one request to an environment may take; the register dialog's test uses it too.</summary>
    public TimeSpan RequestTimeout { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Environments:RequestTimeoutSeconds", 20), 1, 300));

    public ISourceConnector Create(SourceEnvironment environment) => factory.Create(SettingsOf(environment));

    /// <summary>
    /// A saved environment's connection settings with its secrets decrypted: for this process's connectors, and for the
    /// tenant's own workers (sent only over their authenticated hub connection, never logged).
    /// </summary>
    public ConnectionSettings SettingsOf(SourceEnvironment environment)
    {
        var secret = environment.ProtectedSecret is { } stored ? secrets.Unprotect(stored) : null;
        var hypervisor = environment.HypervisorEndpoint is { } address && environment.ProtectedHypervisorSecret is { } protectedPassword
            ? new HypervisorAccess(new Uri(address), environment.HypervisorUserName ?? "", secrets.Unprotect(protectedPassword), environment.HypervisorThumbprint)
            : null;
        return Settings(environment.Id, environment.Kind, environment.Endpoint, environment.UserName, secret, environment.TrustedThumbprint) with
        {
            NbdUriTemplate = environment.NbdUriTemplate,
            Hypervisor = hypervisor,
        };
    }

    public ISourceConnector Create(Guid environmentId, EnvironmentKind kind, Uri? endpoint, string? userName, string? secret, string? thumbprint, HypervisorAccess? hypervisor = null, string? nbdUriTemplate = null) =>
        factory.Create(Settings(environmentId, kind, endpoint?.ToString(), userName, secret, thumbprint) with { Hypervisor = hypervisor, NbdUriTemplate = nbdUriTemplate });

    /// <summary>Each lab environment keeps its disks in its own folder under the data folder.</summary>
    public string LabRoot(Guid environmentId) =>
        Path.Combine(PortalSettings.DataDirectory(configuration), "lab", environmentId.ToString("N"));

    private ConnectionSettings Settings(Guid environmentId, EnvironmentKind kind, string? endpoint, string? userName, string? secret, string? thumbprint) =>
        new(kind, kind == EnvironmentKind.Lab ? new Uri("lab://local/") : new Uri(endpoint!), userName, secret, thumbprint)
        {
            RequestTimeout = RequestTimeout,
            LabRoot = kind == EnvironmentKind.Lab ? LabRoot(environmentId) : null,
        };
}
