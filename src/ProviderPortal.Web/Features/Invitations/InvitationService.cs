using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Email;

namespace ProviderPortal.Web.Features.Invitations;

/// <summary>
/// Creates invitations and their emails. The link carries a token; only its hash is stored. Whether an address has an
/// account in another tenant is never revealed to the inviter.
/// </summary>
public sealed class InvitationService(PortalDbContext db, TimeProvider clock, IConfiguration configuration)
{
    private TimeSpan Lifetime => TimeSpan.FromDays(Math.Max(1, configuration.GetValue("Invitations:LifetimeDays", Invitation.DefaultLifetime.Days)));

    /// <summary>Adds an invitation and its email to the context, unsaved, so the caller saves them with its own change.</summary>
    public async Task<ServiceResult> AddAsync(Tenant tenant, string email, string role, string? invitedBy, string baseUri)
    {
        email = (email ?? "").Trim();
        if (EmailAddress.IsTooLong(email))
        {
            return ServiceResult.Fail(EmailAddress.TooLongMessage, "Email");
        }

        if (!EmailAddress.IsValid(email))
        {
            return ServiceResult.Fail("Enter a valid email address, like name@example.com.", "Email");
        }

        if (!PortalRoles.IsTenantRole(role))
        {
            return ServiceResult.Fail("Choose the role: tenant administrator or tenant member.", "Role");
        }

        var normalized = EmailAddress.Normalize(email);
        var account = await AccountAsync(normalized);
        if (account is { } existing && existing.TenantId == tenant.Id)
        {
            return ServiceResult.Fail($"{email} is already a member of {tenant.Name}.", "Email");
        }

        var now = clock.GetUtcNow();
        if (await db.Invitations.AnyAsync(i => i.TenantId == tenant.Id && i.Email == normalized && i.Status == InvitationStatus.Pending && i.ExpiresAt > now))
        {
            return ServiceResult.Fail($"{email} has already been invited and the invitation is still open.", "Email");
        }

        // An address with an account elsewhere (another tenant's, or staff's) is not revealed to the inviter: the answer and
        // the pending invitation are the same as for a new address, and the same rows are written. Only the email differs:
        // its owner is told instead, and the link, which could not be accepted anyway, is never sent.
        var token = InvitationToken.Create();
        var invitation = Invitation.Create(tenant.Id, normalized, role, InvitationToken.Hash(token), invitedBy, now, Lifetime);
        db.Invitations.Add(invitation);

        var inviter = System.Net.WebUtility.HtmlEncode(invitedBy ?? "Your provider");
        var tenantName = System.Net.WebUtility.HtmlEncode(tenant.Name);
        var roleName = PortalRoles.Describe(role).ToLowerInvariant();
        if (account is not null)
        {
            Outbox.Add(db, tenant.Id, normalized,
                $"Someone tried to invite you to {tenant.Name} on ProviderPortal",
                $"<p>{inviter} tried to invite you to join <strong>{tenantName}</strong> on ProviderPortal as {roleName}.</p><p>Your address already has an account in the portal, and an account belongs to one organisation, so there is nothing to accept. If you expected this, ask your organisation's administrator or your provider how to move; otherwise you can ignore this email.</p>",
                $"{invitedBy ?? "Your provider"} tried to invite you to join {tenant.Name} on ProviderPortal as {roleName}.\nYour address already has an account in the portal, and an account belongs to one organisation, so there is nothing to accept. If you expected this, ask your organisation's administrator or your provider how to move; otherwise you can ignore this email.",
                now);
            return ServiceResult.Ok;
        }

        var link = Outbox.Link($"{baseUri.TrimEnd('/')}/Account/AcceptInvitation?token={token}", "Accept the invitation");
        var expires = TimeZoneInfo.ConvertTime(invitation.ExpiresAt, TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZoneId));
        var expiry = $"{expires:dddd d MMMM yyyy, HH:mm} ({tenant.TimeZoneId})";
        Outbox.Add(db, tenant.Id, normalized,
            $"You are invited to {tenant.Name} on ProviderPortal",
            $"<p>{inviter} invited you to join <strong>{tenantName}</strong> on ProviderPortal as {roleName}.</p><p>{link.Html}</p><p>The invitation expires on {expiry}.</p>",
            $"{invitedBy ?? "Your provider"} invited you to join {tenant.Name} on ProviderPortal as {roleName}.\n{link.Text}\nThe invitation expires on {expiry}.",
            now);
        return ServiceResult.Ok;
    }

    /// <summary>
    /// Whether the address already has an account anywhere in the portal. Only for provider staff, who see every account;
    /// a tenant is never told (see <see cref="AddAsync"/>).
    /// </summary>
    public async Task<bool> HasAccountAsync(string email) =>
        EmailAddress.IsValid((email ?? "").Trim()) && await AccountAsync(EmailAddress.Normalize(email!)) is not null;

    // Looks past the tenant filter, for this one address only: the tenant of the account with it, if any.
    private async Task<ExistingAccount?> AccountAsync(string normalizedEmail) =>
        await db.Users.IgnoreQueryFilters([Data.Tenancy.TenantModel.FilterName])
            .Where(u => u.NormalizedEmail == normalizedEmail.ToUpperInvariant())
            .Select(u => new ExistingAccount(u.TenantId))
            .FirstOrDefaultAsync();

    private sealed record ExistingAccount(Guid? TenantId);
}
