using System.Net;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests;

public sealed class SmokeTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Home_SignedInProviderAdmin_ShowsProviderAdministration()
    {
        var browser = await factory.SignInAsync("admin@provider.example");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("Provider administration", html);
        Assert.Contains("Provider staff", html);
    }

    [Fact]
    public async Task Home_Anonymous_RedirectsToSignIn()
    {
        var response = await factory.CreateBrowser().GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AfterStart_ReportsDatabaseAndSchedulerHealthy()
    {
        var response = await factory.CreateBrowser().GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("database", body);
    }
}
