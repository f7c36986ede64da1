using System.Net;
using Microsoft.AspNetCore.Identity;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Features.Email;

/// <summary>
/// Identity's confirmation and reset emails, through the outbox. They are sent before anyone is signed
/// in, so they are written in a scope of their own that enters the recipient's tenant explicitly.
/// </summary>
public sealed class IdentityEmailSender(IServiceScopeFactory scopes, TimeProvider clock) : IEmailSender<PortalUser>
{
    public Task SendConfirmationLinkAsync(PortalUser user, string email, string confirmationLink) =>
        SendAsync(user, email, "Confirm your email address",
            $"<p>Confirm your email address for ProviderPortal by <a href=\"{confirmationLink}\">following this link</a>.</p>",
            $"Confirm your email address for ProviderPortal by opening this link: {WebUtility.HtmlDecode(confirmationLink)}");

    public Task SendPasswordResetLinkAsync(PortalUser user, string email, string resetLink) =>
        SendAsync(user, email, "Reset your password",
            $"<p>Someone asked to reset your ProviderPortal password. If it was you, <a href=\"{resetLink}\">choose a new password here</a>. If not, ignore this email.</p>",
            $"Someone asked to reset your ProviderPortal password. If it was you, open this link to choose a new one: {WebUtility.HtmlDecode(resetLink)}\nIf not, ignore this email.");

    public Task SendPasswordResetCodeAsync(PortalUser user, string email, string resetCode) =>
        SendAsync(user, email, "Your password reset code",
            $"<p>Your ProviderPortal password reset code is <strong>{WebUtility.HtmlEncode(resetCode)}</strong>.</p>",
            $"Your ProviderPortal password reset code is {resetCode}.");

    private async Task SendAsync(PortalUser user, string email, string subject, string html, string text)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tenantScope = scope.ServiceProvider.GetRequiredService<TenantScope>();
        if (user.TenantId is { } tenantId)
        {
            tenantScope.UseTenant(tenantId, user.Email ?? "user", user.Id);
        }
        else
        {
            tenantScope.UseSystem(user.Email ?? "user");
        }

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Outbox.Add(db, user.TenantId, email, subject, html, text, clock.GetUtcNow());
        await db.SaveChangesAsync();
    }
}
