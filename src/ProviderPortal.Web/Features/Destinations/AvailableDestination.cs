using ProviderPortal.Domain.Destinations;

namespace ProviderPortal.Web.Features.Destinations;

/// <summary>A destination as a tenant sees it: never its root folder or storage host, which are the provider's infrastructure.</summary>
public sealed record AvailableDestination(Guid Id, string Name, DestinationKind Kind, IReadOnlyList<string> Networks);
