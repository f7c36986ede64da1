namespace ProviderPortal.Domain.Environments.Connectors;

public sealed record SourceNic(string Key, string? Network, string? MacAddress);
