using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Workers;

/// <summary>
/// A tenant's worker tokens, for workers on other machines (an appliance on the customer's site). Every user of the tenant
/// sees them; its administrators make and revoke them. A new token's secret is returned once and kept nowhere: only its hash
/// is stored. The worker hub refuses revoked tokens and drops their workers.
/// </summary>
public sealed class WorkerTokenService(PortalDbContext db, ITenantContext tenant, UserPermissions permissions, TimeProvider clock, ILogger<WorkerTokenService> logger)
{
    /// <summary>What a tenant reads for a worker the portal started and its token.</summary>
    public const string PortalWorker = "The portal's worker";

    private const string AdminsOnly = "Only an administrator of your organisation can create or revoke worker tokens.";

    public async Task<WorkersOverview> ListAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var tokens = await db.WorkerTokens.AsNoTracking().ToListAsync(cancellationToken);
        var sessions = await db.WorkerSessions.AsNoTracking().Where(s => s.DisconnectedAt == null).ToListAsync(cancellationToken);
        // The portal's own workers and tokens are named after the node that runs them: a tenant reads a name of its own.
        var names = tokens.ToDictionary(t => t.Id, t => t.IsLocal ? PortalWorker : t.Name);
        return new WorkersOverview(
            [.. tokens.OrderBy(t => t.IsRevoked).ThenByDescending(t => t.CreatedAt)
                .Select(t => new WorkerTokenRow(t.Id, names[t.Id], t.Hint, t.CreatedAt, t.CreatedBy, t.LastUsedAt, t.RevokedAt, t.IsLocal))],
            [.. sessions.OrderByDescending(s => s.ConnectedAt)
                .Select(s => new WorkerSessionRow(s.Id, s.IsLocal ? PortalWorker : s.WorkerName, s.Version, s.IsLocal, s.Slots, s.ConnectedAt, s.LastSeenAt, names.GetValueOrDefault(s.TokenId, "(removed)")))]);
    }

    /// <summary>Makes a token for a remote worker; the secret in the result is the only copy there will ever be.</summary>
    public async Task<(ServiceResult Result, string? Secret)> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var tenantId = RequireTenant();
        if (!await permissions.AllowsAsync(Policies.TenantAdmin))
        {
            return (ServiceResult.Fail(AdminsOnly), null);
        }

        WorkerToken token;
        string secret;
        try
        {
            (token, secret) = WorkerToken.Issue(tenantId, name ?? "", tenant.ActorName, isLocal: false, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return (ServiceResult.Fail(ex.Message, nameof(WorkerToken.Name)), null);
        }

        var taken = await db.WorkerTokens.Where(t => t.RevokedAt == null).Select(t => t.Name).ToListAsync(cancellationToken);
        if (taken.Contains(token.Name, StringComparer.OrdinalIgnoreCase))
        {
            return (ServiceResult.Fail($"A token named \"{token.Name}\" already exists; give this worker another name.", nameof(WorkerToken.Name)), null);
        }

        db.WorkerTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Worker token {TokenId} created by {Actor}", token.Id, tenant.ActorName);
        return (ServiceResult.Ok, secret);
    }

    public async Task<ServiceResult> RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        if (!await permissions.AllowsAsync(Policies.TenantAdmin))
        {
            return ServiceResult.Fail(AdminsOnly);
        }

        var token = await db.WorkerTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return ServiceResult.Fail("That token does not exist.");
        }

        if (token.IsLocal)
        {
            return ServiceResult.Fail("This token is managed by the portal for the workers it starts itself; it cannot be revoked here.");
        }

        try
        {
            token.Revoke(clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Worker token {TokenId} revoked by {Actor}", token.Id, tenant.ActorName);
        return ServiceResult.Ok;
    }

    private Guid RequireTenant() =>
        tenant.TenantId ?? throw new InvalidOperationException("Worker tokens belong to a tenant; this user has none.");
}
