using ProviderPortal.Domain.Destinations;

namespace ProviderPortal.Web.Features.Destinations;

/// <summary>A destination as provider staff see it, with how many plans land there.</summary>
public sealed record DestinationRow(Guid Id, string Name, DestinationKind Kind, string Location, IReadOnlyList<string> Networks, bool Retired, DateTimeOffset CreatedAt, int Plans);
