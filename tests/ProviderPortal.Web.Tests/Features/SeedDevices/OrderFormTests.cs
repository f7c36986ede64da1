using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>The tenant's order form and orders page over the real service and database, as tenant A's member.</summary>
public sealed class OrderFormTests : PortalServicesContext, IClassFixture<SeedDeviceWorld>
{
    private readonly SeedDeviceWorld _world;

    public OrderFormTests(SeedDeviceWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.MemberOf(world.A), typeof(SeedDeviceOrderService), typeof(SeedDeviceRuns), typeof(CurrentTenantInfo));
    }

    private IRenderedComponent<IComponent> RenderWithProviders<TPage>(Guid? planId = null)
        where TPage : IComponent => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<TPage>(2);
        if (planId is { } id)
        {
            builder.AddAttribute(3, nameof(OrderSeedDevicesPage.PlanId), id);
        }

        builder.CloseComponent();
    });

    private static IElement InputOf(IElement element) =>
        element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? throw new InvalidOperationException(element.OuterHtml);

    /// <summary>Types into the country picker and clicks the country in the list it shows.</summary>
    private static void ChooseCountry(IRenderedComponent<IComponent> form, string typed, string name)
    {
        InputOf(form.Find("[data-testid=order-country]")).Input(typed);
        form.WaitForAssertion(() => Assert.Contains(form.FindAll(".mud-list-item"), i => i.TextContent.Trim() == name));
        form.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == name).Click();
    }

    [Fact]
    public async Task Order_CountryChosenFromTheList_SavedAsItsCode()
    {
        var planId = await _world.PlanAsync(_world.A, "form-country");
        var form = RenderWithProviders<OrderSeedDevicesPage>(planId);
        form.WaitForElement("[data-testid=order-place]");
        foreach (var (field, value) in new[]
        {
            ("order-recipient", "Ops team"), ("order-street", "Unter den Linden 1"), ("order-postal", "10117"), ("order-city", "Berlin"),
            ("order-contact", "Jana Weber"), ("order-email", "ops@alpha.example"), ("order-phone", "+49 30 1234567"),
        })
        {
            InputOf(form.Find($"[data-testid={field}]")).Change(value);
        }

        ChooseCountry(form, "germ", "Germany");
        form.Find("[data-testid=order-place]").Click();

        form.WaitForAssertion(() => Assert.EndsWith("/seed-devices", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Equal("DE", (await _world.OrdersOfAsync(planId)).Single().Address.Country);
    }

    [Fact]
    public async Task Order_AddressLeftEmpty_FieldMessagesShownAndNothingSaved()
    {
        var planId = await _world.PlanAsync(_world.A, "form-empty");
        var form = RenderWithProviders<OrderSeedDevicesPage>(planId);
        form.WaitForElement("[data-testid=order-place]");
        Assert.Contains("1 device", form.Find("[data-testid=order-models]").TextContent);

        // Typed, not chosen from the list: no country is guessed from it.
        InputOf(form.Find("[data-testid=order-country]")).Input("France");
        form.Find("[data-testid=order-place]").Click();

        form.WaitForAssertion(() => Assert.Contains("Enter who receives the device.", form.Markup));
        Assert.Contains("Enter the street address.", form.Markup);
        Assert.Contains("Choose the country from the list.", form.Markup);
        Assert.Contains("Enter a phone number the carrier can call.", form.Markup);
        Assert.Equal(0, await _world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task Order_RecipientOf5000Characters_LimitShownAndRefusedNextToTheField()
    {
        var planId = await _world.PlanAsync(_world.A, "form-long-recipient");
        var form = RenderWithProviders<OrderSeedDevicesPage>(planId);
        form.WaitForElement("[data-testid=order-place]");
        Assert.Contains("0 / 200", Field(form, "order-recipient"));

        InputOf(form.Find("[data-testid=order-recipient]")).Change(new string('r', 5000));
        form.Find("[data-testid=order-place]").Click();

        form.WaitForAssertion(() => Assert.Contains("The recipient can be at most 200 characters.", Field(form, "order-recipient")));
        Assert.Contains("5000 / 200", Field(form, "order-recipient"));
        Assert.Equal(5000, InputOf(form.Find("[data-testid=order-recipient]")).GetAttribute("value")!.Length);
        Assert.Equal(0, await _world.CountOrdersAsync(planId));
    }

    /// <summary>What a field shows around its input: label, value, message and counter.</summary>
    private static string Field(IRenderedComponent<IComponent> form, string testId) =>
        InputOf(form.Find($"[data-testid={testId}]")).Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task Order_AddressComplete_PlacedAndTakenToTheOrders()
    {
        var planId = await _world.PlanAsync(_world.A, "form-complete");
        var form = RenderWithProviders<OrderSeedDevicesPage>(planId);
        form.WaitForElement("[data-testid=order-place]");

        foreach (var (field, value) in new[]
        {
            ("order-recipient", "Ops team"), ("order-street", "1 rue de la Paix"), ("order-postal", "75002"), ("order-city", "Paris"),
            ("order-contact", "Jeanne Martin"), ("order-email", "ops@alpha.example"), ("order-phone", "+33 1 23 45 67 89"),
        })
        {
            InputOf(form.Find($"[data-testid={field}]")).Change(value);
        }

        ChooseCountry(form, "fr", "France");

        form.Find("[data-testid=order-place]").Click();

        form.WaitForAssertion(() => Assert.EndsWith("/seed-devices", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Equal(1, await _world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task OrderForm_OtherTenantsPlan_PlanNotFound()
    {
        var planId = await _world.PlanAsync(_world.B, "form-foreign");

        var form = RenderWithProviders<OrderSeedDevicesPage>(planId);

        form.WaitForAssertion(() => Assert.Contains("Plan not found", form.Markup));
        Assert.DoesNotContain("form-foreign", form.Markup);
        Assert.Empty(form.FindAll("[data-testid=order-place]"));
    }

    [Fact]
    public async Task OrdersPage_LoadedOrder_ShipBackWithTracking()
    {
        var id = await _world.OrderAsync(_world.A, "page-ship-back");
        var op = TestUsers.ProviderOperator;
        await _world.StepsAsync(id, (op, (s, o) => s.ApproveAsync(o)), (op, (s, o) => s.ShipAsync(o, "DHL", "OUT-1")), (op, (s, o) => s.MarkDeliveredAsync(o)),
            (TestUsers.MemberOf(_world.A), (s, o) => s.StartLoadingAsync(o)), (TestUsers.MemberOf(_world.A), (s, o) => s.ConfirmLoadedAsync(o)));
        var page = RenderWithProviders<SeedDeviceOrdersPage>();
        page.WaitForAssertion(() => Assert.Contains("page-ship-back", page.Markup));
        var card = page.FindAll("[data-testid=seed-order]").Single(c => c.TextContent.Contains("page-ship-back", StringComparison.Ordinal));

        card.QuerySelector("[data-testid=seed-order-ship-back]")!.Click();
        InputOf(page.Find("[data-testid=seed-order-carrier]")).Change("UPS");
        InputOf(page.Find("[data-testid=seed-order-tracking-input]")).Change("BACK-9");
        page.Find("[data-testid=seed-order-ship-back-confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("BACK-9", page.Find("[data-testid=seed-order-return-tracking]").TextContent));
        Assert.Equal(Domain.SeedDevices.SeedDeviceOrderStatus.ReturnShipped, (await _world.ReadAsync(id)).Status);
    }

    [Fact]
    public async Task OrdersPage_DeliveredOrder_LoadAsksForTheDeviceFolder_RefusalShownPlainly()
    {
        var id = await _world.OrderAsync(_world.A, "page-load");
        var op = TestUsers.ProviderOperator;
        await _world.StepsAsync(id, (op, (s, o) => s.ApproveAsync(o)), (op, (s, o) => s.ShipAsync(o, "DHL", "OUT-2")), (op, (s, o) => s.MarkDeliveredAsync(o)));
        var page = RenderWithProviders<SeedDeviceOrdersPage>();
        page.WaitForAssertion(() => Assert.Contains("page-load", page.Markup));
        var card = page.FindAll("[data-testid=seed-order]").Single(c => c.TextContent.Contains("page-load", StringComparison.Ordinal));

        card.QuerySelector("[data-testid=seed-order-load]")!.Click();
        Assert.Contains("Folder where the device is mounted", page.Markup);
        InputOf(page.Find("[data-testid=seed-order-folders]")).Change("/mnt/seed1");
        page.Find("[data-testid=seed-order-load-confirm]").Click();

        // The plan is still a draft: nothing could write the devices yet, and the page says what to do.
        page.WaitForAssertion(() => Assert.Contains("Start the plan first", page.Markup));
        Assert.NotEmpty(page.FindAll("[data-testid=seed-order-folders]"));
        Assert.Equal(Domain.SeedDevices.SeedDeviceOrderStatus.Delivered, (await _world.ReadAsync(id)).Status);
    }
}
