using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>The staff's fulfilment board over the real service and database, as a ProviderOperator.</summary>
public sealed class FulfilmentBoardTests : PortalServicesContext, IClassFixture<SeedDeviceWorld>
{
    private readonly SeedDeviceWorld _world;

    public FulfilmentBoardTests(SeedDeviceWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.ProviderOperator, typeof(SeedDeviceOrderService), typeof(SeedDeviceRuns));
    }

    private IRenderedComponent<IComponent> RenderBoard() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<FulfilmentBoardPage>(2);
        builder.CloseComponent();
    });

    private static IElement InputOf(IElement element) =>
        element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? throw new InvalidOperationException(element.OuterHtml);

    private static IElement CardOf(IRenderedComponent<IComponent> board, string planName) =>
        board.FindAll("[data-testid=seed-order]").Single(c => c.TextContent.Contains(planName, StringComparison.Ordinal));

    [Fact]
    public async Task Render_OrdersOfTwoTenants_GroupedByStatusWithTheTenantsNames()
    {
        await _world.OrderAsync(_world.A, "board-grouped-a");
        var b = await _world.OrderAsync(_world.B, "board-grouped-b");
        await _world.StepsAsync(b, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));

        var board = RenderBoard();

        board.WaitForAssertion(() => Assert.Contains(board.FindAll("[data-testid=board-group]"), g => g.TextContent.StartsWith("Awaiting approval", StringComparison.Ordinal)));
        var groups = board.FindAll("[data-testid=board-group]").Select(g => g.TextContent.Trim()).ToList();
        Assert.True(groups.FindIndex(g => g.StartsWith("Awaiting approval", StringComparison.Ordinal)) < groups.FindIndex(g => g.StartsWith("Approved, to ship", StringComparison.Ordinal)));
        Assert.Equal(_world.A.Name, CardOf(board, "board-grouped-a").QuerySelector("[data-testid=seed-order-tenant]")!.TextContent.Trim());
        Assert.Equal(_world.B.Name, CardOf(board, "board-grouped-b").QuerySelector("[data-testid=seed-order-tenant]")!.TextContent.Trim());
        Assert.NotNull(CardOf(board, "board-grouped-a").QuerySelector("[data-testid=board-approve]"));
        Assert.NotNull(CardOf(board, "board-grouped-b").QuerySelector("[data-testid=board-ship]"));
        Assert.Null(CardOf(board, "board-grouped-b").QuerySelector("[data-testid=board-approve]"));
    }

    [Fact]
    public async Task Approve_Click_OrderApprovedAndTenantAdminsTold()
    {
        var id = await _world.OrderAsync(_world.A, "board-approve-click");
        var board = RenderBoard();
        board.WaitForAssertion(() => CardOf(board, "board-approve-click"));

        CardOf(board, "board-approve-click").QuerySelector("[data-testid=board-approve]")!.Click();

        board.WaitForAssertion(() => Assert.Equal("Approved, to ship", CardOf(board, "board-approve-click").QuerySelector("[data-testid=seed-order-status]")!.TextContent.Trim()));
        Assert.Equal(SeedDeviceOrderStatus.Approved, (await _world.ReadAsync(id)).Status);
        Assert.Contains(_world.Factory.Notifications.Sent, n => n.Kind == NotificationKind.DeviceOrderChanged && n.TenantId == _world.A.Id && n.Text.Body.Contains("board-approve-click", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ship_WithoutTrackingNumber_PlainMessageAndStillApproved()
    {
        var id = await _world.OrderAsync(_world.A, "board-ship-missing");
        await _world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));
        var board = RenderBoard();
        board.WaitForAssertion(() => CardOf(board, "board-ship-missing"));

        CardOf(board, "board-ship-missing").QuerySelector("[data-testid=board-ship]")!.Click();
        InputOf(board.Find("[data-testid=board-carrier]")).Change("DHL");
        board.Find("[data-testid=board-ship-confirm]").Click();

        board.WaitForAssertion(() => Assert.Contains("Enter the carrier and its tracking number.", board.Markup));
        var order = await _world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Approved, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public async Task Ship_WithCarrierAndTracking_ShownOnTheCard()
    {
        var id = await _world.OrderAsync(_world.B, "board-ship-ok");
        await _world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));
        var board = RenderBoard();
        board.WaitForAssertion(() => CardOf(board, "board-ship-ok"));

        CardOf(board, "board-ship-ok").QuerySelector("[data-testid=board-ship]")!.Click();
        InputOf(board.Find("[data-testid=board-carrier]")).Change("DHL");
        InputOf(board.Find("[data-testid=board-tracking]")).Change("JD-77");
        board.Find("[data-testid=board-ship-confirm]").Click();

        board.WaitForAssertion(() => Assert.Contains("JD-77", CardOf(board, "board-ship-ok").QuerySelector("[data-testid=seed-order-tracking]")!.TextContent));
        Assert.Equal(SeedDeviceOrderStatus.Shipped, (await _world.ReadAsync(id)).Status);
    }
}
