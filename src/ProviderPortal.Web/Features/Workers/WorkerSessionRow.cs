namespace ProviderPortal.Web.Features.Workers;

/// <summary>
/// A worker connected now, and the token it connected with, as its tenant sees it: no portal node (the provider's
/// servers are the provider's business; staff see them on Replication).
/// </summary>
public sealed record WorkerSessionRow(Guid Id, string WorkerName, string Version, bool IsLocal, int Slots, DateTimeOffset ConnectedAt, DateTimeOffset LastSeenAt, string TokenName);
