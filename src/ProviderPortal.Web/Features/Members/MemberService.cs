using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Web.Features.Invitations;

namespace ProviderPortal.Web.Features.Members;

public sealed record MemberRow(string Id, string DisplayName, string Email, string Role, bool IsLockedOut, bool TwoFactor, DateTimeOffset CreatedAt);

public sealed record InvitationRow(Guid Id, string Email, string Role, InvitationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? InvitedBy);

/// <summary>
/// A tenant administrator's management of its own members. The tenant filter makes another tenant's
/// users and invitations invisible here: their ids simply are not found.
/// </summary>
public sealed class MemberService(PortalDbContext db, ITenantContext tenant, UserManager<PortalUser> users, InvitationService invitations, TimeProvider clock)
{
    private const string NotFound = "That person is not a member of your organisation.";

    public async Task<IReadOnlyList<MemberRow>> ListMembersAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = RequireTenant();
        var roles = await TenantRolesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var members = await db.Users.Where(u => u.TenantId == tenantId).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        return members.Select(u => new MemberRow(u.Id, u.DisplayName, u.Email ?? "", roles.GetValueOrDefault(u.Id, ""),
            u.LockoutEnd > now, u.TwoFactorEnabled, u.CreatedAt)).ToList();
    }

    public async Task<IReadOnlyList<InvitationRow>> ListInvitationsAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var rows = await db.Invitations.Where(i => i.Status == InvitationStatus.Pending)
            .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.Status, i.CreatedAt, i.ExpiresAt, i.InvitedBy))
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(i => i.CreatedAt).ToList();
    }

    public async Task<ServiceResult> InviteAsync(string email, string role, string baseUri)
    {
        var tenantId = RequireTenant();
        var current = await db.Tenants.SingleAsync(t => t.Id == tenantId);
        var result = await invitations.AddAsync(current, email, role, tenant.ActorName, baseUri);
        if (result.Succeeded)
        {
            await db.SaveChangesAsync();
        }

        return result;
    }

    public async Task<ServiceResult> RevokeInvitationAsync(Guid invitationId)
    {
        RequireTenant();
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId);
        if (invitation is null)
        {
            return ServiceResult.Fail("That invitation does not exist.");
        }

        try
        {
            invitation.Revoke(clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync();
        return ServiceResult.Ok;
    }

    public async Task<ServiceResult> ChangeRoleAsync(string userId, string role)
    {
        var tenantId = RequireTenant();
        if (!PortalRoles.IsTenantRole(role))
        {
            return ServiceResult.Fail("Choose the role: tenant administrator or tenant member.");
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.TenantId == tenantId);
        if (user is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        var roles = await TenantRolesAsync();
        var currentRole = roles.GetValueOrDefault(user.Id);
        if (currentRole == role)
        {
            return ServiceResult.Ok;
        }

        if (currentRole == PortalRoles.TenantAdmin && roles.Values.Count(r => r == PortalRoles.TenantAdmin) == 1)
        {
            return ServiceResult.Fail("Your organisation needs at least one administrator: make someone else an administrator first.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        if (currentRole is not null)
        {
            await users.RemoveFromRoleAsync(user, currentRole);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            return ServiceResult.Fail(string.Join(" ", added.Errors.Select(e => e.Description)));
        }

        // The new role takes effect at the next sign-in check (within a minute).
        await users.UpdateSecurityStampAsync(user);
        await transaction.CommitAsync();
        return ServiceResult.Ok;
    }

    public async Task<ServiceResult> RemoveAsync(string userId)
    {
        var tenantId = RequireTenant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.TenantId == tenantId);
        if (user is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        if (user.Id == tenant.ActorId)
        {
            return ServiceResult.Fail("You cannot remove yourself. Ask another administrator.");
        }

        var roles = await TenantRolesAsync();
        if (roles.GetValueOrDefault(user.Id) == PortalRoles.TenantAdmin && roles.Values.Count(r => r == PortalRoles.TenantAdmin) == 1)
        {
            return ServiceResult.Fail("Your organisation needs at least one administrator.");
        }

        var deleted = await users.DeleteAsync(user);
        return deleted.Succeeded ? ServiceResult.Ok : ServiceResult.Fail(string.Join(" ", deleted.Errors.Select(e => e.Description)));
    }

    /// <summary>Each member's tenant role (a member has exactly one).</summary>
    private async Task<Dictionary<string, string>> TenantRolesAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = RequireTenant();
        var rows = await (from userRole in db.UserRoles
                          join role in db.Roles on userRole.RoleId equals role.Id
                          join user in db.Users on userRole.UserId equals user.Id
                          where user.TenantId == tenantId
                          select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        return rows.Where(r => r.Name is not null && PortalRoles.IsTenantRole(r.Name))
            .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.First().Name!);
    }

    private Guid RequireTenant() =>
        tenant.TenantId ?? throw new InvalidOperationException("Members are managed from inside a tenant.");
}
