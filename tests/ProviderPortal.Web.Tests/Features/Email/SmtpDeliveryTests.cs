using System.Net;
using ProviderPortal.Domain.Email;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Email;

/// <summary>Mail through a real SMTP server (aiosmtpd, with authentication) from the running portal.</summary>
public sealed class SmtpDeliveryTests(SmtpPortalFactory factory) : IClassFixture<SmtpPortalFactory>
{
    [Fact]
    public async Task Invite_InTenantScope_ArrivesOverSmtpWithWorkingAcceptLink()
    {
        var tenant = await factory.CreateTenantAsync("smtp-invite");
        const string email = "newcomer@smtp-invite.example";
        var subject = $"You are invited to {tenant.Name} on ProviderPortal";

        await OutboxProbe.InviteAsync(factory, tenant, email);

        var mail = await factory.Smtp!.WaitForMessageToAsync(email, OutboxProbe.Deadline);
        Assert.NotNull(mail);
        Assert.Equal(email, OutboxProbe.Recipient(mail));
        Assert.Equal(subject, mail.Subject);
        Assert.Equal("no-reply@portal.example", Assert.Single(mail.From.Mailboxes).Address);
        var textLink = OutboxProbe.Link(mail.TextBody, "/Account/AcceptInvitation");
        Assert.Equal(textLink, OutboxProbe.HtmlLink(mail.HtmlBody, "/Account/AcceptInvitation"));

        var page = await factory.CreateBrowser().GetAsync(new Uri(textLink).PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(tenant.Name), html);
        Assert.Contains(email, html);
        Assert.DoesNotContain("alert-warning", html);

        var row = await OutboxProbe.WaitAsync(factory, email, subject, m => m.Status != OutboxStatus.Pending);
        Assert.NotNull(row);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAt);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task ForgotPassword_KnownUser_ResetLinkArrivesOverSmtp()
    {
        var tenant = await factory.CreateTenantAsync("smtp-reset");
        var email = tenant.Member.Email!;

        var response = await PortalFactory.PostFormAsync(factory.CreateBrowser(), "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = email });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/ForgotPasswordConfirmation", response.Headers.Location!.OriginalString);
        var mail = await factory.Smtp!.WaitForMessageToAsync(email, OutboxProbe.Deadline);
        Assert.NotNull(mail);
        Assert.Equal("Reset your password", mail.Subject);
        var textLink = OutboxProbe.Link(mail.TextBody, "/Account/ResetPassword");
        Assert.Equal(textLink, OutboxProbe.HtmlLink(mail.HtmlBody, "/Account/ResetPassword"));
        var page = await factory.CreateBrowser().GetAsync(new Uri(textLink).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("reset-password", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logs_WhileSendingResetMail_NeverContainSmtpPasswordOrBody()
    {
        var tenant = await factory.CreateTenantAsync("smtp-logs");
        var email = tenant.Admin.Email!;

        await PortalFactory.PostFormAsync(factory.CreateBrowser(), "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = email });
        var mail = await factory.Smtp!.WaitForMessageToAsync(email, OutboxProbe.Deadline);
        Assert.NotNull(mail);
        var row = await OutboxProbe.WaitAsync(factory, email, "Reset your password", m => m.Status != OutboxStatus.Pending);
        Assert.Equal(OutboxStatus.Sent, row?.Status);

        var link = OutboxProbe.Link(mail.TextBody, "/Account/ResetPassword");
        var code = link[(link.IndexOf("code=", StringComparison.Ordinal) + "code=".Length)..];
        var logs = factory.Logs.Entries;
        Assert.Contains(logs, e => e.Contains("was sent", StringComparison.Ordinal) && e.Contains(email, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Contains(SmtpPortalFactory.SmtpPassword, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Contains(WebUtility.UrlDecode(code), StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Contains("Someone asked to reset", StringComparison.Ordinal));
    }
}
