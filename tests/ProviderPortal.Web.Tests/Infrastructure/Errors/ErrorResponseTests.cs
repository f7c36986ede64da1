using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;

namespace ProviderPortal.Web.Tests.Infrastructure.Errors;

/// <summary>Bad requests get a plain answer: never a 500, never a stack trace or an exception's type name.</summary>
public sealed partial class ErrorResponseTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
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
}
