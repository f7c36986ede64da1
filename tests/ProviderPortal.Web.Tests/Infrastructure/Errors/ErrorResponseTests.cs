using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using ProviderPortal.Data;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Tests.Infrastructure.Errors;

/// <summary>
/// Bad requests get a plain answer: never a 500, never a stack trace or an exception's type name. Every test runs twice,
/// against the portal in Production and in Development (as `dotnet run` starts it).
/// </summary>
public abstract partial class ErrorResponseTests(PortalFactory factory)
{
    public sealed class Production(PortalFactory factory) : ErrorResponseTests(factory), IClassFixture<PortalFactory>;

    public sealed class Development(DevelopmentPortalFactory factory) : ErrorResponseTests(factory), IClassFixture<DevelopmentPortalFactory>;

    /// <summary>Return URLs that lead off the portal (or run a script) however a browser reads them, as they appear in a query string.</summary>
    public static TheoryData<string> ForeignReturnUrls => new()
    {
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "https:evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example%2F",
        "%2F%5Cevil.example%2F",
        "%5C%5Cevil.example",
        "https%3A%2F%2Fevil.example%2F",
        "javascript%3Aalert(1)",
        "%09%2F%2Fevil.example",
        "%20%2F%2Fevil.example",
        "%2F%09%2Fevil.example",
        "http://localhost.evil.example/",
    };

    [GeneratedRegex(@"\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionTypeName();

    private static async Task AssertPlainAnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotMatch(ExceptionTypeName(), body);
    }

    [Theory]
    [InlineData("/nonexistent")]
    [InlineData("/Account/AcceptInvitation?token=garbage")]
    [InlineData("/Account/AcceptInvitation")]
    [InlineData("/Account/ResetPassword?code=%25%25not-base64%25%25")]
    [InlineData("/Account/ConfirmEmail?userId=nobody&code=garbage")]
    [InlineData("/Account/ConfirmEmailChange?userId=nobody&email=x%40y.example&code=garbage")]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    [InlineData("/Account/Manage/Disable2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes")]
    public async Task Get_BadOrUnexpectedUrl_AnswersWithoutErrorDetails(string url)
    {
        var response = await factory.CreateBrowser().GetAsync(url);

        await AssertPlainAnswerAsync(response);
    }

    [Theory]
    [InlineData("/Account/ConfirmEmail?userId={0}&code=%25%25not-base64%25%25")]
    [InlineData("/Account/ConfirmEmailChange?userId={0}&email=changed%40demo.example&code=%25%25not-base64%25%25")]
    [InlineData("/Account/Manage/Disable2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes")]
    public async Task Get_MangledLinkOrWrongStepSignedIn_AnswersWithoutErrorDetails(string url)
    {
        var browser = await factory.SignInAsync("member@demo.example");
        var userId = await factory.AsSystemAsync(async services => (await services.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync("member@demo.example"))!.Id);

        var response = await browser.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, userId));

        await AssertPlainAnswerAsync(response);
        Assert.Equal("member@demo.example", (await factory.FindUserAsync("member@demo.example"))!.Email);
    }

    [Fact]
    public async Task Get_ResetPasswordMangledCode_RedirectsToInvalidPasswordReset()
    {
        var response = await factory.CreateBrowser().GetAsync("/Account/ResetPassword?code=%25%25not-base64%25%25");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/InvalidPasswordReset", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Get_NonexistentPage_Returns404()
    {
        var response = await factory.CreateBrowser().GetAsync("/nonexistent");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostLogin_WithoutAntiforgeryToken_RefusedWithoutErrorDetails()
    {
        var response = await factory.CreateBrowser().PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = "admin@demo.example",
            ["Input.Password"] = PortalFactory.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)));
        await AssertPlainAnswerAsync(response);
    }

    [Fact]
    public async Task PostLogin_UnknownFormName_RefusedWithoutErrorDetails()
    {
        var browser = factory.CreateBrowser();
        var token = PortalFactory.AntiforgeryToken(await browser.GetStringAsync("/Account/Login"));

        var response = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "no-such-form",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        await AssertPlainAnswerAsync(response);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls), MemberType = typeof(ErrorResponseTests))]
    public async Task PostLogin_ForeignReturnUrl_SignsInOnTheHomePage(string returnUrl)
    {
        var browser = factory.CreateBrowser();

        var response = await PostLoginAsync(browser, "member@demo.example", returnUrl);

        await AssertLandsOnHomePageAsync(response);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task PostLogin_LocalReturnUrl_SignsInOnThatPage()
    {
        var response = await PostLoginAsync(factory.CreateBrowser(), "member@demo.example", "%2Fplans%3Fview%3Dall");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal(("localhost", "/plans?view=all"), (target.Host, target.PathAndQuery));
    }

    [Fact]
    public async Task PostLogin_AfterBeingSentToSignIn_BackOnThePageAsked()
    {
        var browser = factory.CreateBrowser();
        var sentToSignIn = await browser.GetAsync("/plans");
        Assert.Equal(HttpStatusCode.Redirect, sentToSignIn.StatusCode);
        var signInPage = new Uri(new Uri("http://localhost/"), sentToSignIn.Headers.Location!).PathAndQuery;

        var response = await PortalFactory.PostFormAsync(browser, signInPage, "login", new()
        {
            ["Input.Email"] = "member@demo.example",
            ["Input.Password"] = PortalFactory.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal(("localhost", "/plans"), (target.Host, target.PathAndQuery));
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls), MemberType = typeof(ErrorResponseTests))]
    public async Task PostLoginWith2fa_ForeignReturnUrl_SignsInOnTheHomePage(string returnUrl)
    {
        var user = await TwoFactorUserAsync();
        var browser = factory.CreateBrowser();
        var login = await PostLoginAsync(browser, user.Email, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var twoFactorPage = new Uri(new Uri("http://localhost/"), login.Headers.Location!).PathAndQuery;
        Assert.StartsWith("/Account/LoginWith2fa", twoFactorPage, StringComparison.Ordinal);

        var response = await PortalFactory.PostFormAsync(browser, twoFactorPage, "login-with-2fa", new() { ["Input.TwoFactorCode"] = user.Totp.ComputeTotp() });

        await AssertLandsOnHomePageAsync(response);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls), MemberType = typeof(ErrorResponseTests))]
    public async Task PostLoginWithRecoveryCode_ForeignReturnUrl_SignsInOnTheHomePage(string returnUrl)
    {
        var user = await TwoFactorUserAsync();
        var browser = factory.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(browser, user.Email, returnUrl)).StatusCode);

        var response = await PortalFactory.PostFormAsync(browser, "/Account/LoginWithRecoveryCode?ReturnUrl=" + returnUrl, "login-with-recovery-code",
            new() { ["Input.RecoveryCode"] = user.RecoveryCode });

        await AssertLandsOnHomePageAsync(response);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls), MemberType = typeof(ErrorResponseTests))]
    public async Task PostLogout_ForeignReturnUrl_SignsOutOnTheHomePage(string returnUrl)
    {
        var browser = await factory.SignInAsync("member@demo.example");
        var token = PortalFactory.AntiforgeryToken(await browser.GetStringAsync("/"));

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = Uri.UnescapeDataString(returnUrl),
        }));

        await AssertLandsOnHomePageAsync(response);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("/Account/Login", "login")]
    [InlineData("/Account/Logout", null)]
    [InlineData("/Account/ForgotPassword", "forgot-password")]
    [InlineData("/Account/ResendEmailConfirmation", "resend-email-confirmation")]
    [InlineData("/Account/Manage/ChangePassword", "change-password")]
    [InlineData("/Account/Manage", "profile")]
    public async Task PostForm_WithoutAntiforgeryToken_400WithThePortalsPageAndNothingChanged(string url, string? formName)
    {
        var browser = await factory.SignInAsync("member@demo.example");
        var fields = new Dictionary<string, string>
        {
            ["ReturnUrl"] = "/",
            ["Input.Email"] = "member@demo.example",
            ["Input.OldPassword"] = PortalFactory.Password,
            ["Input.NewPassword"] = "Changed-Passw0rd-42",
            ["Input.ConfirmPassword"] = "Changed-Passw0rd-42",
            ["Input.PhoneNumber"] = "+33 1 23 45 67 89",
        };
        if (formName is not null)
        {
            fields["_handler"] = formName;
        }

        var response = await browser.PostAsync(url, new FormUrlEncodedContent(fields));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertPlainAnswerAsync(response);
        Assert.Contains("<title>This form could not be accepted</title>", body);
        Assert.Contains("Nothing was changed", body);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var user = (await factory.FindUserAsync("member@demo.example"))!;
        Assert.Null(user.PhoneNumber);
        Assert.True(await factory.AsSystemAsync(services => services.GetRequiredService<UserManager<PortalUser>>().CheckPasswordAsync(user, PortalFactory.Password)));
    }

    [Fact]
    public async Task PostUnknownAddress_405WithThePortalsPage()
    {
        var response = await factory.CreateBrowser().PostAsync("/nonexistent", new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("<title>This request could not be accepted</title>", await response.Content.ReadAsStringAsync());
        await AssertPlainAnswerAsync(response);
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string email, string returnUrlInQuery) =>
        PortalFactory.PostFormAsync(browser, "/Account/Login?ReturnUrl=" + returnUrlInQuery, "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalFactory.Password,
        });

    /// <summary>Not a 500 but a redirect to the portal's own home page: the foreign address is ignored.</summary>
    private static async Task AssertLandsOnHomePageAsync(HttpResponseMessage response)
    {
        await AssertPlainAnswerAsync(response);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal(("http", "localhost", "/"), (target.Scheme, target.Host, target.PathAndQuery));
    }

    /// <summary>A new member of the demo tenant with an authenticator app and a recovery code.</summary>
    private async Task<(string Email, Totp Totp, string RecoveryCode)> TwoFactorUserAsync()
    {
        var demo = (await factory.FindUserAsync("member@demo.example"))!.TenantId!.Value;
        var user = await factory.CreateUserAsync(demo, $"otp-{Guid.NewGuid():N}@demo.example", PortalRoles.TenantMember);
        return await factory.AsSystemAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            await users.SetTwoFactorEnabledAsync(stored, true);
            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(stored, 1);
            var key = await users.GetAuthenticatorKeyAsync(stored);
            return (user.Email!, new Totp(Base32Encoding.ToBytes(key)), codes!.Single());
        });
    }
}
