using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Account.Pages;

public sealed class LoginTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string email, string password) =>
        PortalFactory.PostFormAsync(browser, "/Account/Login", "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    private static string Location(HttpResponseMessage response) => response.Headers.Location?.OriginalString ?? "";

    private async Task<bool> IsSignedInAsync(HttpClient browser)
    {
        var home = await browser.GetAsync("/");
        return home.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task Login_RightPassword_RedirectsSignedIn()
    {
        var browser = factory.CreateBrowser();

        var response = await PostLoginAsync(browser, "member@demo.example", PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsPlainMessageAndStaysSignedOut()
    {
        var browser = factory.CreateBrowser();

        var response = await PostLoginAsync(browser, "admin@demo.example", "Not-the-Passw0rd");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right", html);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task Login_UnknownEmail_ShowsSameMessageAsWrongPassword()
    {
        var response = await PostLoginAsync(factory.CreateBrowser(), "nobody@nowhere.example", PortalFactory.Password);

        Assert.Contains("The email or password is not right", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksOutAndRefusesRightPassword()
    {
        var tenant = await factory.CreateTenantAsync("lockout");
        var user = await factory.CreateUserAsync(tenant.Id, "locked@lockout.example", PortalRoles.TenantMember);
        var browser = factory.CreateBrowser();

        for (var attempt = 1; attempt < 5; attempt++)
        {
            var failed = await PostLoginAsync(browser, user.Email!, "Wrong-Passw0rd-" + attempt);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var fifth = await PostLoginAsync(browser, user.Email!, "Wrong-Passw0rd-5");
        var withRightPassword = await PostLoginAsync(browser, user.Email!, PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, fifth.StatusCode);
        Assert.Contains("Account/Lockout", Location(fifth));
        Assert.Equal(HttpStatusCode.Redirect, withRightPassword.StatusCode);
        Assert.Contains("Account/Lockout", Location(withRightPassword));
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task Login_UnconfirmedEmail_RefusedWithConfirmationMessage()
    {
        var tenant = await factory.CreateTenantAsync("unconfirmed");
        var user = await factory.CreateUserAsync(tenant.Id, "new@unconfirmed.example", PortalRoles.TenantMember, emailConfirmed: false);
        var browser = factory.CreateBrowser();

        var response = await PostLoginAsync(browser, user.Email!, PortalFactory.Password);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("email address is not confirmed", html);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task Login_SuspendedTenantUser_Refused()
    {
        var tenant = await factory.CreateTenantAsync("suspended");
        var suspended = await factory.AsSystemAsync(services =>
            services.GetRequiredService<TenantService>().SuspendAsync(tenant.Id, "Unpaid invoices"));
        Assert.True(suspended.Succeeded, suspended.Message);
        var browser = factory.CreateBrowser();

        var response = await PostLoginAsync(browser, tenant.Admin.Email!, PortalFactory.Password);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("access has been suspended", html);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task LoginWith2fa_AuthenticatorEnabled_RightCodeSignsInWrongCodeRefused()
    {
        var tenant = await factory.CreateTenantAsync("twofactor");
        var user = await factory.CreateUserAsync(tenant.Id, "otp@twofactor.example", PortalRoles.TenantMember);
        var browser = await factory.SignInAsync(user.Email!);

        var enablePage = await browser.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var key = Regex.Match(enablePage, "<kbd>([^<]+)</kbd>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(key);
        Assert.Contains("<svg", enablePage[enablePage.IndexOf("authenticator-qr", StringComparison.Ordinal)..]);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var enabled = await PortalFactory.PostFormAsync(browser, "/Account/Manage/EnableAuthenticator", "send-code", new() { ["Input.Code"] = totp.ComputeTotp() });
        Assert.Contains("Your authenticator app has been verified", await enabled.Content.ReadAsStringAsync());
        Assert.True((await factory.FindUserAsync(user.Email!))!.TwoFactorEnabled);

        var second = factory.CreateBrowser();
        var login = await PostLoginAsync(second, user.Email!, PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("Account/LoginWith2fa", Location(login));
        Assert.False(await IsSignedInAsync(second));
        var twoFactorUrl = new Uri(new Uri("http://localhost/"), Location(login)).PathAndQuery;

        var right = totp.ComputeTotp();
        var wrong = ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var refused = await PortalFactory.PostFormAsync(second, twoFactorUrl, "login-with-2fa", new() { ["Input.TwoFactorCode"] = wrong });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Invalid authenticator code", await refused.Content.ReadAsStringAsync());
        Assert.False(await IsSignedInAsync(second));

        var accepted = await PortalFactory.PostFormAsync(second, twoFactorUrl, "login-with-2fa", new() { ["Input.TwoFactorCode"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.True(await IsSignedInAsync(second));
    }
}
