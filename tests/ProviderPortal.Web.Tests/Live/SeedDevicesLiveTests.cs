using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>A seed-device order in a real browser: the tenant orders from its plan, staff approve and ship it on the board.</summary>
public sealed class SeedDevicesLiveTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task OrderThenShip_TenantAndStaffInBrowser_OrderFollowsEveryStep()
    {
        var tenant = await portal.CreateTenantAsync("live-seed");
        var environmentId = await PlanWorld.SeedEnvironmentAsync(portal, tenant);
        var planId = await PlanWorld.SeedDraftAsync(portal, tenant, environmentId, "live-seed-plan");

        var form = await portal.OpenSignedInAsync(tenant.Member.Email!, $"/plans/{planId}/seed-devices");
        await Assertions.Expect(form.Locator("[data-testid=order-models]")).ToContainTextAsync("8 TB rugged disk");
        await form.ClickAsync("[data-testid=order-place]");
        await Assertions.Expect(form.GetByText("Enter who receives the device.")).ToBeVisibleAsync();
        await form.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "seed-order-form-invalid.png"), FullPage = true });

        foreach (var (field, value) in new[]
        {
            ("order-recipient", "Ops team"), ("order-street", "1 rue de la Paix"), ("order-postal", "75002"), ("order-city", "Paris"),
            ("order-contact", "Jeanne Martin"), ("order-email", "ops@live-seed.example"), ("order-phone", "+33 1 23 45 67 89"),
        })
        {
            await form.FillAsync($"input[data-testid={field}]", value);
        }

        await form.FillAsync("input[data-testid=order-country]", "Fran");
        await form.GetByRole(AriaRole.Option, new() { Name = "France" }).ClickAsync();

        await form.ClickAsync("[data-testid=order-place]");
        await form.WaitForURLAsync(url => url.EndsWith("/seed-devices", StringComparison.Ordinal));
        await Assertions.Expect(form.Locator("[data-testid=seed-order-status]")).ToHaveTextAsync("Awaiting approval");
        await form.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "seed-orders-tenant.png"), FullPage = true });
        await form.Context.CloseAsync();

        var board = await portal.OpenSignedInAsync("operator@provider.example", "/provider/seed-devices/orders");
        var card = board.Locator("[data-testid=seed-order]", new() { HasText = "live-seed-plan" });
        await Assertions.Expect(card.Locator("[data-testid=seed-order-tenant]")).ToHaveTextAsync(tenant.Name);
        await card.Locator("[data-testid=board-approve]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=seed-order-status]")).ToHaveTextAsync("Approved, to ship");
        await card.Locator("[data-testid=board-ship]").ClickAsync();
        await card.Locator("input[data-testid=board-carrier]").FillAsync("DHL");
        await card.Locator("input[data-testid=board-tracking]").FillAsync("JD014600003");
        await card.Locator("[data-testid=board-ship-confirm]").ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=seed-order-tracking]")).ToContainTextAsync("JD014600003");
        await board.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "seed-orders-board.png"), FullPage = true });
        await board.Context.CloseAsync();
    }

    [Fact]
    public async Task Order_CountryTypedAsAWord_NeverGuessedIntoACode_ChosenFromTheList()
    {
        var tenant = await portal.CreateTenantAsync("live-country");
        var environmentId = await PlanWorld.SeedEnvironmentAsync(portal, tenant);
        var planId = await PlanWorld.SeedDraftAsync(portal, tenant, environmentId, "live-country-plan");
        var form = await portal.OpenSignedInAsync(tenant.Member.Email!, $"/plans/{planId}/seed-devices");
        await Assertions.Expect(form.Locator("[data-testid=order-models]")).ToContainTextAsync("8 TB rugged disk");
        foreach (var (field, value) in new[]
        {
            ("order-recipient", "Ops team"), ("order-street", "Unter den Linden 1"), ("order-postal", "10117"), ("order-city", "Berlin"),
            ("order-contact", "Jana Weber"), ("order-email", "ops@live-country.example"), ("order-phone", "+49 30 1234567"),
        })
        {
            await form.FillAsync($"input[data-testid={field}]", value);
        }

        // Typed but not chosen: refused in words, nothing ordered (it once became "GE", Georgia).
        var country = form.Locator("input[data-testid=order-country]");
        await country.FillAsync("Germany");
        var germany = form.GetByRole(AriaRole.Option, new() { Name = "Germany" });
        await Assertions.Expect(germany).ToBeVisibleAsync();
        await country.PressAsync("Escape");
        await Assertions.Expect(germany).ToHaveCountAsync(0);
        await form.ClickAsync("[data-testid=order-place]");
        await Assertions.Expect(form.GetByText("Choose the country from the list.")).ToBeVisibleAsync();
        Assert.Null(await CountryOrderedAsync(planId));

        await country.FillAsync("Germ");
        await germany.ClickAsync();
        await form.ClickAsync("[data-testid=order-place]");
        await Assertions.Expect(form.Locator("[data-testid=seed-order-status]")).ToHaveTextAsync("Awaiting approval");
        Assert.Equal("DE", await CountryOrderedAsync(planId));
        await form.Context.CloseAsync();
    }

    [Fact]
    public async Task Board_OrderWithLongUnbrokenValuesAtTheirLimits_StaysAsWideAsTheWindow()
    {
        var tenant = await portal.CreateTenantAsync("live-wide");
        var environmentId = await PlanWorld.SeedEnvironmentAsync(portal, tenant);
        var planId = await PlanWorld.SeedDraftAsync(portal, tenant, environmentId, "live-wide-plan");
        var modelId = await portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.Where(m => !m.Retired).Select(m => m.Id).FirstAsync());

        // As long as a field may be, with no space to break at: the card wraps them, the page does not grow sideways.
        var address = new ShippingAddress("Ops", new string('C', ShippingAddress.MaxNameLength), "Unter den Linden 1", null, "10117", "Berlin", "DE", "Jana Weber", "ops@live-wide.example", "+49 30 1234567");
        var (placed, orderId) = await portal.AsUserAsync(TestUsers.MemberOf(tenant), s => s.GetRequiredService<SeedDeviceOrderService>().PlaceAsync(planId, modelId, address));
        Assert.True(placed.Succeeded, placed.Message);
        var shipped = await portal.AsUserAsync(TestUsers.ProviderOperator, async s =>
        {
            var orders = s.GetRequiredService<SeedDeviceOrderService>();
            var approved = await orders.ApproveAsync(orderId!.Value);
            return approved.Succeeded ? await orders.ShipAsync(orderId.Value, new string('K', SeedDeviceOrder.MaxCarrierLength), new string('9', SeedDeviceOrder.MaxTrackingNumberLength)) : approved;
        });
        Assert.True(shipped.Succeeded, shipped.Message);

        var board = await portal.OpenSignedInAsync("operator@provider.example", "/provider/seed-devices/orders");
        var card = board.Locator("[data-testid=seed-order]", new() { HasText = "live-wide-plan" });
        await Assertions.Expect(card.Locator("[data-testid=seed-order-tracking]")).ToContainTextAsync(new string('9', SeedDeviceOrder.MaxTrackingNumberLength));

        Assert.True(await board.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The board is {await board.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide in a {await board.EvaluateAsync<int>("() => window.innerWidth")} px window.");
        await board.Context.CloseAsync();
    }

    private Task<string?> CountryOrderedAsync(Guid planId) => portal.AsSystemAsync(async s =>
        (await s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.AsNoTracking().Where(o => o.PlanId == planId).ToListAsync()).SingleOrDefault()?.Address.Country);
}
