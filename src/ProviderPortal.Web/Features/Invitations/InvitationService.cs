using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Email;

namespace ProviderPortal.Web.Features.Invitations;

/// <summary>Creates invitations and their emails. The link carries a token; only its hash is stored.</summary>
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
        if (await db.Users.IgnoreQueryFilters([Data.Tenancy.TenantModel.FilterName]).AnyAsync(u => u.NormalizedEmail == normalized.ToUpperInvariant()))
        {
            return ServiceResult.Fail($"{email} already has an account in the portal.", "Email");
        }

        var now = clock.GetUtcNow();
        if (await db.Invitations.AnyAsync(i => i.TenantId == tenant.Id && i.Email == normalized && i.Status == InvitationStatus.Pending && i.ExpiresAt > now))
        {
            return ServiceResult.Fail($"{email} has already been invited and the invitation is still open.", "Email");
        }

        var token = InvitationToken.Create();
        var invitation = Invitation.Create(tenant.Id, normalized, role, InvitationToken.Hash(token), invitedBy, now, Lifetime);
        db.Invitations.Add(invitation);

        var link = Outbox.Link($"{baseUri.TrimEnd('/')}/Account/AcceptInvitation?token={token}", "Accept the invitation");
        var expires = TimeZoneInfo.ConvertTime(invitation.ExpiresAt, TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZoneId));
        var expiry = $"{expires:dddd d MMMM yyyy, HH:mm} ({tenant.TimeZoneId})";
        Outbox.Add(db, tenant.Id, normalized,
            $"You are invited to {tenant.Name} on ProviderPortal",
            $"<p>{System.Net.WebUtility.HtmlEncode(invitedBy ?? "Your provider")} invited you to join <strong>{System.Net.WebUtility.HtmlEncode(tenant.Name)}</strong> on ProviderPortal as {PortalRoles.Describe(role).ToLowerInvariant()}.</p><p>{link.Html}</p><p>The invitation expires on {expiry}.</p>",
            $"{invitedBy ?? "Your provider"} invited you to join {tenant.Name} on ProviderPortal as {PortalRoles.Describe(role).ToLowerInvariant()}.\n{link.Text}\nThe invitation expires on {expiry}.",
            now);
        return ServiceResult.Ok;
    }
}
