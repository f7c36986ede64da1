using System.Net;
using System.Text.RegularExpressions;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Account.Pages.Manage;

/// <summary>
/// Opening the authenticator page changes nothing a user relies on: a cross-site link to it cannot sign anyone out.
/// The portal here checks every sign-in cookie on every request, so a changed security stamp would show at once.
/// </summary>
public sealed class EnableAuthenticatorTests(EnableAuthenticatorTests.CookiesCheckedOnEveryRequest factory) : IClassFixture<EnableAuthenticatorTests.CookiesCheckedOnEveryRequest>
{
    public sealed class CookiesCheckedOnEveryRequest : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "0" };
    }

    private static string SharedKey(string html) => Regex.Match(html, "<kbd>([^<]+)</kbd>").Groups[1].Value;

    [Fact]
    public async Task Get_TwiceWithAnotherSessionOpen_SameKeyAndEverySessionStaysSignedIn()
    {
        var tenant = await factory.CreateTenantAsync("authenticator-get");
        var email = tenant.Member.Email!;
        var otherSession = await factory.SignInAsync(email);
        var browser = await factory.SignInAsync(email);
        var stamp = (await factory.FindUserAsync(email))!.SecurityStamp;

        var first = SharedKey(await browser.GetStringAsync("/Account/Manage/EnableAuthenticator"));
        var second = SharedKey(await browser.GetStringAsync("/Account/Manage/EnableAuthenticator"));

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.Equal(stamp, (await factory.FindUserAsync(email))!.SecurityStamp);
        Assert.Equal(HttpStatusCode.OK, (await otherSession.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }
}
