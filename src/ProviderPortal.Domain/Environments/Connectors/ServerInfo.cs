namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>What a successful connection test learned: the product and version, and how many VMs it sees.</summary>
public sealed record ServerInfo(string Product, string Version, int? VmCount);
