using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Email;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>Small reads and writes the integration tests share: extra users, the outbox, links in emails.</summary>
public static class PortalTestData
{
    /// <summary>Creates one user in a tenant with the factory's password; the email must be unique.</summary>
    public static Task<PortalUser> CreateUserAsync(this PortalFactory factory, Guid tenantId, string email, string role, bool emailConfirmed = true) =>
        factory.AsSystemAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = emailConfirmed, DisplayName = email, TenantId = tenantId, CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(user, PortalFactory.Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            return user;
        });

    public static Task<PortalUser?> FindUserAsync(this PortalFactory factory, string email) =>
        factory.AsSystemAsync(services => services.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));

    /// <summary>The outbox messages to one address, newest first (they are written with the change, so no waiting).</summary>
    public static Task<List<OutboxMessage>> EmailsToAsync(this PortalFactory factory, string to) =>
        factory.AsSystemAsync(async services =>
        {
            var messages = await services.GetRequiredService<PortalDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => m.ToAddress == to).ToListAsync();
            return messages.OrderByDescending(m => m.CreatedAt).ToList();
        });

    /// <summary>The only outbox message to an address with this subject.</summary>
    public static async Task<OutboxMessage> SingleEmailAsync(this PortalFactory factory, string to, string subjectPart)
    {
        var messages = (await factory.EmailsToAsync(to)).Where(m => m.Subject.Contains(subjectPart, StringComparison.Ordinal)).ToList();
        return Assert.Single(messages);
    }

    /// <summary>The path and query of the first link to <paramref name="path"/> in a plain-text email body.</summary>
    public static string LinkTo(string textBody, string path)
    {
        var match = Regex.Match(textBody, $@"https?://[^\s/]+(?<local>{Regex.Escape(path)}\S*)");
        Assert.True(match.Success, $"No link to {path} in:\n{textBody}");
        return match.Groups["local"].Value;
    }

    /// <summary>The value of a hidden form input on a page.</summary>
    public static string HiddenValue(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"No input {name} on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
