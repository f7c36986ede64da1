using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors;

/// <summary>The connector for each kind of environment.</summary>
public sealed class SourceConnectorFactory : ISourceConnectorFactory
{
    public ISourceConnector Create(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            _ => throw new ConnectorException(ConnectorErrorKind.NotSupported, $"TEMP {settings.Kind}"),
        };
    }
}
