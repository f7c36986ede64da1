namespace ProviderPortal.Web.Features.Workers;

/// <summary>A tenant's worker tokens (newest first) and its workers connected now.</summary>
public sealed record WorkersOverview(IReadOnlyList<WorkerTokenRow> Tokens, IReadOnlyList<WorkerSessionRow> Sessions);
