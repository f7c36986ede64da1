namespace ProviderPortal.Domain.Plans;

/// <summary>A source network (as the environment names it) and the destination network its NICs are attached to.</summary>
public sealed record NetworkMapping(string SourceNetwork, string DestinationNetwork);
