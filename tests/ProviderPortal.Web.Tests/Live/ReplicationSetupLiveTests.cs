using Microsoft.Playwright;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>Setting up replication in a real browser: a provider's destinations, a tenant's worker token, a draft's settings.</summary>
public sealed class ReplicationSetupLiveTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task DestinationsPage_ProviderAdmin_PlainMessageThenAddedThenRetired()
    {
        var page = await portal.OpenSignedInAsync("admin@provider.example", "/provider/destinations");
        await Assertions.Expect(page.Locator("[data-testid=destination-table]")).ToContainTextAsync("Local lab storage");

        await page.ClickAsync("[data-testid=destination-new]");
        await page.FillAsync("input[data-testid=destination-name]", "Live Lyon");
        await page.FillAsync("input[data-testid=destination-location]", "relative/folder");
        await page.FillAsync("textarea[data-testid=destination-networks]", "prod\ndmz");
        await page.ClickAsync("[data-testid=destination-save]");
        await Assertions.Expect(page.GetByText("The root folder must be an absolute path")).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=destination-location]", Path.Combine(portal.DataDirectory, "live-lyon"));
        await page.ClickAsync("[data-testid=destination-save]");
        var row = page.Locator("[data-testid=destination-table] tr", new() { HasText = "Live Lyon" });
        await Assertions.Expect(row).ToContainTextAsync("prod, dmz");

        await row.Locator("[data-testid=destination-retire]").ClickAsync();
        await row.Locator("[data-testid=destination-retire-confirm]").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Retired");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "destinations-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DestinationsPage_ProviderOperator_ReadsWithoutChanging()
    {
        var page = await portal.OpenSignedInAsync("operator@provider.example", "/provider/destinations");

        await Assertions.Expect(page.Locator("[data-testid=destination-table]")).ToContainTextAsync("Local lab storage");
        Assert.Equal(0, await page.Locator("[data-testid=destination-new]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=destination-retire]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WorkersPage_TenantAdmin_TokenShownOnceThenRevoked()
    {
        var tenant = await portal.CreateTenantAsync("live-workers");
        var page = await portal.OpenSignedInAsync(tenant.Admin.Email!, "/workers");

        await page.ClickAsync("[data-testid=token-new]");
        await page.FillAsync("input[data-testid=token-name]", "live appliance");
        await page.ClickAsync("[data-testid=token-create]");
        var secret = await page.Locator("input[data-testid=token-secret]").InputValueAsync();
        Assert.StartsWith("ppw_", secret);
        await Assertions.Expect(page.Locator("[data-testid=token-command]")).ToContainTextAsync($"--portal {portal.BaseUrl} --token-file worker.token");
        await page.ClickAsync("[data-testid=token-done]");

        var row = page.Locator("[data-testid=token-table] tr", new() { HasText = "live appliance" });
        await Assertions.Expect(row).ToContainTextAsync(secret[..8]);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await row.Locator("[data-testid=token-revoke]").ClickAsync();
        await row.Locator("[data-testid=token-revoke-confirm]").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Revoked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlansPage_TenantMember_ConfiguresADraftsDestinationAndNetworks()
    {
        var tenant = await portal.CreateTenantAsync("live-plans");
        var environment = await PlanWorld.SeedEnvironmentAsync(portal, tenant);
        await PlanWorld.SeedDraftAsync(portal, tenant, environment, "Live web tier");
        var page = await portal.OpenSignedInAsync(tenant.Member.Email!, "/plans");
        var row = page.Locator("[data-testid=plan-table] tr", new() { HasText = "Live web tier" });
        await Assertions.Expect(row.Locator("[data-testid=plan-destination-name]")).ToHaveTextAsync("not chosen yet");

        await row.Locator("[data-testid=plan-configure]").ClickAsync();
        var dialog = page.Locator("[data-testid=plan-settings-dialog]");
        await Assertions.Expect(dialog.Locator("[data-testid=plan-mapping-source]")).ToHaveTextAsync(["DMZ-Web", "VM Network"]);
        await dialog.Locator("[data-testid=plan-destination]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Local lab storage" }).ClickAsync();

        var mappings = dialog.Locator("[data-testid=plan-mapping]");
        foreach (var (index, target) in new[] { (0, "dmz"), (1, "prod") })
        {
            await mappings.Nth(index).Locator("[data-testid=plan-mapping-target]").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = target }).First.ClickAsync();
            await Assertions.Expect(mappings.Nth(index).Locator("[data-testid=plan-mapping-target]")).ToHaveTextAsync(target);
        }

        await dialog.Locator("input[data-testid=plan-remove]").CheckAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=plan-remove-warning]")).ToContainTextAsync("will be deleted");
        await dialog.Locator("input[data-testid=plan-remove]").UncheckAsync();
        await page.ClickAsync("[data-testid=plan-settings-save]");

        await Assertions.Expect(row.Locator("[data-testid=plan-destination-name]")).ToHaveTextAsync("Local lab storage");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "plan-settings-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
