namespace ProviderPortal.Web.Features.Workers;

/// <summary>A worker connected now, and the token it connected with.</summary>
public sealed record WorkerSessionRow(Guid Id, string WorkerName, string Node, string Version, bool IsLocal, int Slots, DateTimeOffset ConnectedAt, DateTimeOffset LastSeenAt, string TokenName);
