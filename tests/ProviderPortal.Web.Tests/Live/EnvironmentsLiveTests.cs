using Microsoft.Playwright;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>The Environments pages in a real browser: the register dialog's messages, explicit certificate trust, the lab and its inventory.</summary>
public sealed class EnvironmentsLiveTests(LivePortal portal) : IClassFixture<LivePortal>
{
    private static string Shot(string name) => Path.Combine(LivePortal.ScreenshotDirectory, name);

    [Fact]
    public async Task RegisterDialog_BadAddressThenUntrustedServer_PlainMessagesThumbprintShownAndNothingSavedUntilAsked()
    {
        await using var server = new TlsPeer();
        const string password = "Dialog-S3cret-value";
        var page = await portal.OpenSignedInAsync("admin@demo.example", "/environments");
        await Assertions.Expect(page.Locator("[data-testid=env-table]")).ToContainTextAsync("Demo lab");

        await page.ClickAsync("[data-testid=env-register]");
        await page.FillAsync("input[data-testid=env-name]", "Edge vCenter");
        await page.FillAsync("input[data-testid=env-endpoint]", "http://vcenter.edge.example");
        await page.FillAsync("input[data-testid=env-user]", "migration@vsphere.local");
        await page.FillAsync("input[data-testid=env-secret]", password);
        await page.ClickAsync("[data-testid=env-test]");
        await Assertions.Expect(page.GetByText("The address must start with https://")).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=env-endpoint]", server.Endpoint);
        await page.FillAsync("input[data-testid=env-secret]", password);
        await page.ClickAsync("[data-testid=env-test]");
        await Assertions.Expect(page.Locator("[data-testid=env-thumbprint]")).ToHaveTextAsync(server.Thumbprint);
        Assert.True(await page.Locator("[data-testid=env-save]").IsDisabledAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("environment-trust.png"), FullPage = true });

        // Trusted, but the server never answers a login: a plain error, and Save stays off.
        await page.ClickAsync("[data-testid=env-trust]");
        await Assertions.Expect(page.Locator("[data-testid=env-error]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.True(await page.Locator("[data-testid=env-save]").IsDisabledAsync());

        await page.ClickAsync("[data-testid=env-save-unverified]");
        await Assertions.Expect(page.Locator("[data-testid=env-table]")).ToContainTextAsync("Edge vCenter");
        await Assertions.Expect(page.Locator("[data-testid=env-table] tr", new() { HasText = "Edge vCenter" }).Locator("[data-testid=env-status]")).ToHaveTextAsync("Unverified");
        Assert.DoesNotContain(password, await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("environments-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
