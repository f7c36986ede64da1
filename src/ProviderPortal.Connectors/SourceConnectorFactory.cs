using ProviderPortal.Connectors.Lab;
using ProviderPortal.Connectors.VMware;
using ProviderPortal.Connectors.XenOrchestra;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors;

/// <summary>The connector for each kind of environment.</summary>
public sealed class SourceConnectorFactory(TimeProvider clock) : ISourceConnectorFactory
{
    public ISourceConnector Create(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            EnvironmentKind.Lab => new LabConnector(settings, clock),
            EnvironmentKind.VCenter => new VCenterConnector(settings, clock),
            EnvironmentKind.XenOrchestra => new XenOrchestraConnector(settings),
            _ => throw new ConnectorException(ConnectorErrorKind.InvalidRequest, $"Unknown environment kind {settings.Kind}."),
        };
    }
}
