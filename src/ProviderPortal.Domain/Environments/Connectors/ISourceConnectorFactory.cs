namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>Makes the connector for an environment's kind. Nothing connects until a method is called.</summary>
public interface ISourceConnectorFactory
{
    ISourceConnector Create(ConnectionSettings settings);
}
