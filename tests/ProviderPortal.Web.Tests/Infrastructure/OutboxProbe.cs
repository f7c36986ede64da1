using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Email;
using ProviderPortal.Web.Features.Members;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>What the email tests share: inviting someone, reading the outbox, waiting with a deadline, finding links.</summary>
public static class OutboxProbe
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Invites the address to the tenant as its administrator would, through MemberService.</summary>
    public static async Task InviteAsync(PortalFactory factory, TestTenant tenant, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
        var result = await scope.ServiceProvider.GetRequiredService<MemberService>().InviteAsync(email, PortalRoles.TenantMember, "http://localhost/");
        Assert.True(result.Succeeded, result.Message);
    }

    public static Task<OutboxMessage?> FindAsync(PortalFactory factory, string toAddress, string subject) => factory.AsSystemAsync(services =>
        services.GetRequiredService<PortalDbContext>().OutboxMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.ToAddress == toAddress && m.Subject == subject));

    /// <summary>Reads the message until the condition holds or the deadline passes; returns the last read.</summary>
    public static async Task<OutboxMessage?> WaitAsync(PortalFactory factory, string toAddress, string subject, Func<OutboxMessage, bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var message = await FindAsync(factory, toAddress, subject);
            if ((message is not null && condition(message)) || DateTime.UtcNow > deadline)
            {
                return message;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The one absolute link to the path in the text, as written there.</summary>
    public static string Link(string? text, string path) =>
        Regex.Match(text ?? "", $"https?://[^\\s\"<>]+{Regex.Escape(path)}\\?[^\\s\"<>]+") is { Success: true } m
            ? m.Value
            : throw new Xunit.Sdk.XunitException($"No link to {path} in:\n{text}");

    /// <summary>The href of the one anchor to the path in the HTML, decoded.</summary>
    public static string HtmlLink(string? html, string path) =>
        Regex.Match(html ?? "", $"href=\"([^\"]*{Regex.Escape(path)}[^\"]*)\"") is { Success: true } m
            ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new Xunit.Sdk.XunitException($"No anchor to {path} in:\n{html}");

    public static string Recipient(MimeMessage message) => Assert.Single(message.To.Mailboxes).Address;
}
