using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>The interactive pages in a real browser: the live circuit sees only its own tenant and acts on it.</summary>
public sealed class LivePagesTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task MembersPage_TenantAdminInBrowser_InvitesThroughTheLiveCircuitAndSeesOnlyOwnTenant()
    {
        var other = await portal.CreateTenantAsync("live-other");
        var page = await portal.OpenSignedInAsync("admin@demo.example", "/tenant/members");

        await page.FillAsync("input[data-testid=invite-email]", "not-an-email");
        await page.ClickAsync("[data-testid=invite-send]");
        await Assertions.Expect(page.GetByText("Enter a valid email address, like name@example.com.")).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=invite-email]", "live.colleague@demo.example");
        await page.ClickAsync("[data-testid=invite-send]");
        await Assertions.Expect(page.Locator("[data-testid=invitation-table]")).ToContainTextAsync("live.colleague@demo.example");

        var body = await page.InnerTextAsync("body");
        Assert.Contains("member@demo.example", body);
        Assert.DoesNotContain(other.Admin.Email!, body);
        Assert.DoesNotContain(other.Name, body);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "members-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TenantsPage_ProviderAdminInBrowser_DuplicateShortNameRefusedThenNewTenantCreated()
    {
        var page = await portal.OpenSignedInAsync("admin@provider.example", "/provider/tenants");

        await page.ClickAsync("[data-testid=tenant-new]");
        await page.FillAsync("input[data-testid=tenant-name-input]", "Second Demo");
        await Assertions.Expect(page.Locator("input[data-testid=tenant-slug-input]")).ToHaveValueAsync("second-demo");
        await page.FillAsync("input[data-testid=tenant-slug-input]", "demo");
        await page.FillAsync("input[data-testid=tenant-email-input]", "ops@second.example");
        await page.FillAsync("input[data-testid=tenant-contact-input]", "Ops Team");
        await page.ClickAsync("[data-testid=tenant-save]");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "tenants-duplicate-slug.png"), FullPage = true });
        await Assertions.Expect(page.GetByText("The short name \"demo\" is already used by another tenant.")).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=tenant-slug-input]", "second-demo");
        await page.ClickAsync("[data-testid=tenant-save]");
        await Assertions.Expect(page.Locator("[data-testid=tenant-table]")).ToContainTextAsync("second-demo");
        Assert.Equal(1, await page.Locator("[data-testid=tenant-table] >> text=Second Demo").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "tenants-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TenantsPage_ContactNameAtItsLimitWithNoSpace_TheTableStaysAsWideAsTheWindow()
    {
        var tenant = await portal.CreateTenantAsync("live-long-contact");
        var updated = await portal.AsSystemAsync(s => s.GetRequiredService<TenantService>().UpdateAsync(tenant.Id,
            new TenantDetails(tenant.Name, tenant.Slug, new string('N', TenantDetails.MaxContactNameLength), "contact@live-long-contact.example", "Europe/Paris", 2, 500)));
        Assert.True(updated.Succeeded, updated.Message);

        var page = await portal.OpenSignedInAsync("admin@provider.example", "/provider/tenants");
        await Assertions.Expect(page.Locator("[data-testid=tenant-table]")).ToContainTextAsync(new string('N', TenantDetails.MaxContactNameLength));

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The page is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide in a {await page.EvaluateAsync<int>("() => window.innerWidth")} px window.");
        Assert.True(await page.Locator("[data-testid=tenant-table] .mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"),
            "The tenants table scrolls sideways.");
        await page.Context.CloseAsync();
    }
}
