using System.Security.Cryptography;
using System.Text;

namespace ProviderPortal.Domain.Workers;

/// <summary>
/// A tenant-scoped credential a worker connects with. Only the SHA-256 of the token is kept (the token is 256 random
/// bits, so a fast hash is enough); the token itself is shown once, when it is made. Revoked tokens are refused and
/// their connected workers are dropped. Local tokens are the portal's own, made for the worker processes it starts.
/// </summary>
public sealed class WorkerToken : ITenantOwned
{
    public const string Prefix = "ppw_";
    public const int MaxNameLength = 100;

    private WorkerToken()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>The first characters of the token, to tell tokens apart in lists (never enough to use it).</summary>
    public string Hint { get; private set; } = "";

    /// <summary>Made by the portal for a worker process it starts itself.</summary>
    public bool IsLocal { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset? RevokedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastUsedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>A new token for <paramref name="tenantId"/>, and its secret text, which only the caller ever sees.</summary>
    public static (WorkerToken Token, string Secret) Issue(Guid tenantId, string name, string createdBy, bool isLocal, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("Name the token after the worker that will use it, such as \"appliance in Frankfurt\".");
        }

        if (name.Trim().Length > MaxNameLength)
        {
            throw new DomainException($"The name can be at most {MaxNameLength} characters.");
        }

        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new WorkerToken
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            Name = name.Trim(),
            Hash = HashOf(secret),
            Hint = secret[..(Prefix.Length + 4)],
            IsLocal = isLocal,
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        return (token, secret);
    }

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public void Revoke(DateTimeOffset now)
    {
        if (IsRevoked)
        {
            throw new DomainException($"The token \"{Name}\" is already revoked.");
        }

        RevokedAt = now;
    }

    public void Used(DateTimeOffset now) => LastUsedAt = now;
}
