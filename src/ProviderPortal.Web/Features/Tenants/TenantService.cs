using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Invitations;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Tenants;

public sealed record TenantRow(Guid Id, string Name, string Slug, string ContactName, string ContactEmail, string TimeZoneId,
    int MaxConcurrentReplications, int BandwidthCapMbps, TenantStatus Status, string? SuspensionReason, int Users, int PendingInvitations);

/// <summary>What a provider administrator does with tenants. Every failure leaves the database as it was.</summary>
public sealed class TenantService(PortalDbContext db, InvitationService invitations, HubSessions hubSessions, TimeProvider clock)
{
    public async Task<IReadOnlyList<TenantRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var tenants = await db.Tenants.OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var userCounts = await db.Users.Where(u => u.TenantId != null).GroupBy(u => u.TenantId)
            .Select(g => new { TenantId = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(x => x.TenantId, x => x.Count, cancellationToken);
        var pending = await db.Invitations.Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt > now).GroupBy(i => i.TenantId)
            .Select(g => new { TenantId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.TenantId, x => x.Count, cancellationToken);
        return tenants.Select(t => new TenantRow(t.Id, t.Name, t.Slug, t.ContactName, t.ContactEmail, t.TimeZoneId,
            t.MaxConcurrentReplications, t.BandwidthCapMbps, t.Status, t.SuspensionReason,
            userCounts.GetValueOrDefault(t.Id), pending.GetValueOrDefault(t.Id))).ToList();
    }

    /// <summary>Creates the tenant and, when an email is given, invites its first administrator in the same save.</summary>
    public async Task<ServiceResult> CreateAsync(TenantDetails details, string? firstAdminEmail, string? invitedBy, string baseUri)
    {
        var errors = await ValidateAsync(details, null);
        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        var tenant = Tenant.Create(details, clock.GetUtcNow());
        db.Tenants.Add(tenant);
        if (!string.IsNullOrWhiteSpace(firstAdminEmail))
        {
            var invited = await InviteAdminAsync(tenant, firstAdminEmail, invitedBy, baseUri);
            if (!invited.Succeeded)
            {
                db.ChangeTracker.Clear();
                return ServiceResult.Fail(invited.Message, "FirstAdminEmail");
            }
        }

        await db.SaveChangesAsync();
        return ServiceResult.Ok;
    }

    public async Task<ServiceResult> UpdateAsync(Guid id, TenantDetails details)
    {
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id);
        if (tenant is null)
        {
            return ServiceResult.Fail("That tenant does not exist.");
        }

        var errors = await ValidateAsync(details, id);
        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        tenant.Update(details);
        await db.SaveChangesAsync();
        return ServiceResult.Ok;
    }

    /// <summary>
    /// Suspends the tenant and ends its users' sessions (their security stamps change): their live connections on this node
    /// close at once, their cookies, open pages and connections elsewhere at the next check (Identity:RevalidationSeconds).
    /// </summary>
    public async Task<ServiceResult> SuspendAsync(Guid id, string reason)
    {
        var result = await ChangeStatusAsync(id, tenant => tenant.Suspend(reason, clock.GetUtcNow()), endSessions: true);
        if (result.Succeeded)
        {
            hubSessions.CloseTenant(id);
        }

        return result;
    }

    public Task<ServiceResult> ReactivateAsync(Guid id) =>
        ChangeStatusAsync(id, tenant => tenant.Reactivate(), endSessions: false);

    public async Task<ServiceResult> InviteAdminAsync(Guid id, string email, string? invitedBy, string baseUri)
    {
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id);
        if (tenant is null)
        {
            return ServiceResult.Fail("That tenant does not exist.");
        }

        if (tenant.IsSuspended)
        {
            return ServiceResult.Fail($"{tenant.Name} is suspended; reactivate it before inviting anyone.");
        }

        var result = await InviteAdminAsync(tenant, email, invitedBy, baseUri);
        if (result.Succeeded)
        {
            await db.SaveChangesAsync();
        }

        return result;
    }

    // Staff see every account, so to them an address that already has one is named (a tenant is never told).
    private async Task<ServiceResult> InviteAdminAsync(Tenant tenant, string email, string? invitedBy, string baseUri) =>
        await invitations.HasAccountAsync(email)
            ? ServiceResult.Fail($"{email.Trim()} already has an account in the portal.", "Email")
            : await invitations.AddAsync(tenant, email, PortalRoles.TenantAdmin, invitedBy, baseUri);

    private async Task<ServiceResult> ChangeStatusAsync(Guid id, Action<Tenant> change, bool endSessions)
    {
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Id == id);
        if (tenant is null)
        {
            return ServiceResult.Fail("That tenant does not exist.");
        }

        try
        {
            change(tenant);
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        if (endSessions)
        {
            foreach (var user in await db.Users.Where(u => u.TenantId == id).ToListAsync())
            {
                user.SecurityStamp = Guid.NewGuid().ToString("N");
            }
        }

        await db.SaveChangesAsync();
        return ServiceResult.Ok;
    }

    private async Task<Dictionary<string, string>> ValidateAsync(TenantDetails details, Guid? existingId)
    {
        var errors = new Dictionary<string, string>(details.Validate());
        if (!errors.ContainsKey(nameof(TenantDetails.Slug))
            && await db.Tenants.AnyAsync(t => t.Slug == details.Slug && t.Id != existingId))
        {
            errors[nameof(TenantDetails.Slug)] = $"The short name \"{details.Slug}\" is already used by another tenant.";
        }

        return errors;
    }
}
