namespace ProviderPortal.Web.Features.Workers;

/// <summary>A worker token as its tenant sees it: the hint tells tokens apart; the secret is never shown again.</summary>
public sealed record WorkerTokenRow(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool IsLocal);
