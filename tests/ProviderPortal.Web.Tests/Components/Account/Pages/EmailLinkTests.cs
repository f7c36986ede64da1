using System.Net;
using ProviderPortal.Domain;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Account.Pages;

/// <summary>Password reset and email confirmation, end to end through the outbox and the links it carries.</summary>
public sealed class EmailLinkTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string NewPassword = "Brand-New-Passw0rd-7";

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string email, string password) =>
        PortalFactory.PostFormAsync(browser, "/Account/Login", "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    private async Task<string> RequestResetLinkAsync(string email)
    {
        var forgot = await PortalFactory.PostFormAsync(factory.CreateBrowser(), "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = email });
        Assert.Equal(HttpStatusCode.Redirect, forgot.StatusCode);
        var message = await factory.SingleEmailAsync(email, "Reset your password");
        return PortalTestData.LinkTo(message.TextBody, "/Account/ResetPassword");
    }

    private async Task<HttpResponseMessage> PostResetAsync(string link, string email, string password)
    {
        var browser = factory.CreateBrowser();
        var code = PortalTestData.HiddenValue(await browser.GetStringAsync(link), "Input.Code");
        return await PortalFactory.PostFormAsync(browser, link, "reset-password", new()
        {
            ["Input.Email"] = email,
            ["Input.Code"] = code,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
    }

    [Fact]
    public async Task ResetPassword_LinkFromEmail_NewPasswordSignsInOldRefused()
    {
        var tenant = await factory.CreateTenantAsync("reset-ok");
        var email = tenant.Member.Email!;
        var link = await RequestResetLinkAsync(email);

        var reset = await PostResetAsync(link, email, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Contains("Account/ResetPasswordConfirmation", reset.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(factory.CreateBrowser(), email, NewPassword)).StatusCode);
        Assert.Contains("The email or password is not right",
            await (await PostLoginAsync(factory.CreateBrowser(), email, PortalFactory.Password)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResetPassword_WeakPassword_ShowsIdentityRuleAndKeepsOldPassword()
    {
        var tenant = await factory.CreateTenantAsync("reset-weak");
        var email = tenant.Member.Email!;
        var link = await RequestResetLinkAsync(email);

        var reset = await PostResetAsync(link, email, "abcdefgh");
        var html = await reset.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Passwords must be at least 10 characters.", html);
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(factory.CreateBrowser(), email, PortalFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task ConfirmEmail_LinkFromResentEmail_UserCanThenSignIn()
    {
        var tenant = await factory.CreateTenantAsync("confirm");
        var user = await factory.CreateUserAsync(tenant.Id, "fresh@confirm.example", PortalRoles.TenantMember, emailConfirmed: false);
        var before = await PostLoginAsync(factory.CreateBrowser(), user.Email!, PortalFactory.Password);
        Assert.Contains("email address is not confirmed", await before.Content.ReadAsStringAsync());

        var resend = await PortalFactory.PostFormAsync(factory.CreateBrowser(), "/Account/ResendEmailConfirmation", "resend-email-confirmation", new() { ["Input.Email"] = user.Email! });
        Assert.Contains("Verification email sent", await resend.Content.ReadAsStringAsync());
        var message = await factory.SingleEmailAsync(user.Email!, "Confirm your email address");
        var confirmation = await factory.CreateBrowser().GetStringAsync(PortalTestData.LinkTo(message.TextBody, "/Account/ConfirmEmail"));

        Assert.Contains("Thank you for confirming your email.", confirmation);
        Assert.True((await factory.FindUserAsync(user.Email!))!.EmailConfirmed);
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(factory.CreateBrowser(), user.Email!, PortalFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task ConfirmEmail_TamperedCode_ShowsErrorAndStaysUnconfirmed()
    {
        var tenant = await factory.CreateTenantAsync("confirm-bad");
        var user = await factory.CreateUserAsync(tenant.Id, "fresh@confirm-bad.example", PortalRoles.TenantMember, emailConfirmed: false);

        var page = await factory.CreateBrowser().GetStringAsync($"/Account/ConfirmEmail?userId={user.Id}&code=bm90LWEtY29kZQ");

        Assert.Contains("Error confirming your email.", page);
        Assert.False((await factory.FindUserAsync(user.Email!))!.EmailConfirmed);
    }
}
