using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
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
        await Assertions.Expect(page.Locator("[data-testid=env-error]")).ToBeVisibleAsync(new() { Timeout = 40_000 });
        Assert.True(await page.Locator("[data-testid=env-save]").IsDisabledAsync());

        await page.ClickAsync("[data-testid=env-save-unverified]");
        await Assertions.Expect(page.Locator("[data-testid=env-table]")).ToContainTextAsync("Edge vCenter");
        await Assertions.Expect(page.Locator("[data-testid=env-table] tr", new() { HasText = "Edge vCenter" }).Locator("[data-testid=env-status]")).ToHaveTextAsync("Unverified");
        Assert.DoesNotContain(password, await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("environments-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LabRegisteredThenEdited_RenamedWithItsNewInterval_StillMarkedAsLab()
    {
        var page = await portal.OpenSignedInAsync("admin@demo.example", "/environments");

        await page.ClickAsync("[data-testid=env-register]");
        await page.ClickAsync("[data-testid=env-kind]");
        await page.GetByText("Lab (built in, for trying the portal)").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=lab-note]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=env-name]", "Second lab");
        await page.ClickAsync("[data-testid=env-save]");
        var row = page.Locator("[data-testid=env-table] tr", new() { HasText = "Second lab" });
        await Assertions.Expect(row.Locator("[data-testid=lab-chip]")).ToBeVisibleAsync();

        await row.Locator("[data-testid=env-edit]").ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=env-name]")).ToHaveValueAsync("Second lab");
        await page.FillAsync("input[data-testid=env-name]", "Renamed lab");
        await page.ClickAsync("[data-testid=env-interval]");
        await page.GetByText("Every 6 hours").ClickAsync();
        await page.ClickAsync("[data-testid=env-save]");

        var renamed = page.Locator("[data-testid=env-table] tr", new() { HasText = "Renamed lab" });
        await Assertions.Expect(renamed.Locator("[data-testid=lab-chip]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=env-table]")).Not.ToContainTextAsync("Second lab");
        await renamed.Locator("[data-testid=env-edit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=env-interval]")).ToContainTextAsync("Every 6 hours");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RegisterDialog_XenOrchestra_OffersThePoolMasterForDeltas()
    {
        var page = await portal.OpenSignedInAsync("member@demo.example", "/environments");

        await page.ClickAsync("[data-testid=env-register]");
        await page.ClickAsync("[data-testid=env-kind]");
        await page.GetByText("Xen Orchestra", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Authentication token")).ToBeVisibleAsync();
        await page.GetByText("Advanced: pool master for changed-block deltas").ClickAsync();
        await page.FillAsync("input[data-testid=env-xapi-endpoint]", "http://xcp-master.example.com");
        await page.FillAsync("input[data-testid=env-name]", "Lyon XO");
        await page.FillAsync("input[data-testid=env-endpoint]", "https://xo.example.com");
        await page.FillAsync("input[data-testid=env-secret]", "token-value");
        await page.ClickAsync("[data-testid=env-test]");

        await Assertions.Expect(page.GetByText("The address must start with https://")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Enter the pool master's user name, like root.")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("environment-xo-advanced.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SyncEndsWhileThePageIsOpen_TheRowIsUpdatedInPlace_ItsButtonsAreNotRebuiltUnderThePointer()
    {
        // A sync running, as the page finds it; the page looks again every two seconds while one runs.
        var id = await portal.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var demo = await db.Tenants.AsNoTracking().Where(t => t.Slug == "demo").Select(t => t.Id).SingleAsync();
            s.GetRequiredService<TenantScope>().UseTenant(demo);
            var environment = SourceEnvironment.Register(new EnvironmentDetails("Refreshing lab", EnvironmentKind.Lab, null, null), null, null, verified: true, DateTimeOffset.UtcNow);
            environment.StartSync(DateTimeOffset.UtcNow);
            db.Environments.Add(environment);
            await db.SaveChangesAsync();
            return environment.Id;
        });
        var page = await portal.OpenSignedInAsync("admin@demo.example", "/environments");
        var row = page.Locator("[data-testid=env-table] tr", new() { HasText = "Refreshing lab" });
        await Assertions.Expect(row.Locator("[data-testid=env-sync-state]")).ToHaveTextAsync("Syncing…");
        // The page keeps the very button element the user is about to press.
        await row.Locator("[data-testid=env-edit]").EvaluateAsync("e => { window.editButton = e; }");

        await portal.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            (await db.Environments.IgnoreQueryFilters().SingleAsync(e => e.Id == id)).CompleteSync(7, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        await Assertions.Expect(row.Locator("[data-testid=env-sync-state]")).ToContainTextAsync("7 VMs");

        // It is still on the page (a rebuilt row would drop a click landing on it), and it works.
        Assert.True(await page.EvaluateAsync<bool>("() => window.editButton.isConnected"));
        await row.Locator("[data-testid=env-edit]").ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=env-name]")).ToHaveValueAsync("Refreshing lab");
        await page.Context.CloseAsync();
    }
}
