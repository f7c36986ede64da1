using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>Staff's approval queue over the real service and database: requests of every tenant in the tenant's zone, approve, reject with a reason, a refusal shown plainly.</summary>
public sealed class WindowApprovalQueueTests : PortalServicesContext, IClassFixture<WindowWorld>
{
    private readonly WindowWorld _world;

    public WindowApprovalQueueTests(WindowWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.ProviderOperator, typeof(WindowService));
    }

    private async Task<Guid> RequestedAsync(TestTenant tenant, string plan, DateTime local)
    {
        var planId = await _world.DraftAsync(tenant, plan);
        var result = await _world.AsAsync(TestUsers.MemberOf(tenant), s => s.RequestAsync(planId, local, TimeSpan.FromHours(1)));
        Assert.True(result.Succeeded, result.Message);
        return Assert.Single(await _world.WindowsOfAsync(planId)).Id;
    }

    private IRenderedComponent<WindowApprovalQueue> Show()
    {
        Render<MudPopoverProvider>();
        return Render<WindowApprovalQueue>();
    }

    private static string Wall(DateTime local) => local.ToString("dddd d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static AngleSharp.Dom.IElement Item(IRenderedComponent<WindowApprovalQueue> queue, Guid id) => queue.Find($"[data-testid=approval-item][data-window='{id}']");

    [Fact]
    public async Task Queue_EveryTenantsRequests_InTheirOwnZone_ThenApproveAndReject()
    {
        var paris = await RequestedAsync(_world.A, "queue-paris", WindowWorld.Local(20, 22));
        var newYork = await RequestedAsync(_world.B, "queue-new-york", WindowWorld.Local(21, 9));

        var queue = Show();
        queue.WaitForElement($"[data-testid=approval-item][data-window='{newYork}']");
        Assert.Contains(_world.A.Name, Item(queue, paris).QuerySelector("[data-testid=approval-tenant]")!.TextContent);
        Assert.Contains(Wall(WindowWorld.Local(20, 22)) + " to 23:00 (Europe/Paris)", Item(queue, paris).TextContent);
        Assert.Contains(Wall(WindowWorld.Local(21, 9)) + " to 10:00 (America/New_York)", Item(queue, newYork).TextContent);

        Item(queue, paris).QuerySelector("[data-testid=approval-approve]")!.Click();
        queue.WaitForAssertion(() => Assert.Empty(queue.FindAll($"[data-testid=approval-item][data-window='{paris}']")));
        Assert.Equal(MaintenanceWindowStatus.Approved, (await _world.WindowAsync(paris)).Status);

        Item(queue, newYork).QuerySelector("[data-testid=approval-reject]")!.Click();
        var reject = queue.WaitForElement("[data-testid=approval-reject-confirm]");
        reject.Click();
        queue.WaitForAssertion(() => Assert.Equal("Give a reason.", Item(queue, newYork).QuerySelector("[data-testid=approval-error]")!.TextContent.Trim()));
        Assert.Equal(MaintenanceWindowStatus.Requested, (await _world.WindowAsync(newYork)).Status);

        queue.Find("input[data-testid=approval-reason]").Change("The night shift is short that week.");
        queue.Find("[data-testid=approval-reject-confirm]").Click();
        queue.WaitForAssertion(() => Assert.DoesNotContain(queue.FindAll("[data-testid=approval-item]"), i => i.GetAttribute("data-window") == newYork.ToString()));
        var rejected = await _world.WindowAsync(newYork);
        Assert.Equal((MaintenanceWindowStatus.Rejected, "The night shift is short that week."), (rejected.Status, rejected.Reason));
    }

    [Fact]
    public async Task Propose_AnotherTime_ShownOnTheRequestUntilTheTenantAnswers()
    {
        var id = await RequestedAsync(_world.A, "queue-propose", WindowWorld.Local(22, 2));

        var queue = Show();
        queue.WaitForElement($"[data-testid=approval-item][data-window='{id}']");
        Item(queue, id).QuerySelector("[data-testid=approval-propose]")!.Click();
        queue.WaitForElement("[data-testid=approval-propose-confirm]").Click();

        queue.WaitForAssertion(() => Assert.NotNull(Item(queue, id).QuerySelector("[data-testid=approval-proposed]")));
        var window = await _world.WindowAsync(id);
        Assert.Equal(MaintenanceWindowStatus.Requested, window.Status);
        Assert.Equal(window.StartsAt.AddDays(1), window.ProposedStartsAt);
        Assert.Contains("Proposed instead", Item(queue, id).TextContent);
    }

    [Fact]
    public async Task Approve_AfterTheTenantCancelled_RefusedAndTheQueueReadAgain()
    {
        var id = await RequestedAsync(_world.A, "queue-cancelled-meanwhile", WindowWorld.Local(23, 2));
        var queue = Show();
        queue.WaitForElement($"[data-testid=approval-item][data-window='{id}']");

        Assert.True((await _world.AsAsync(TestUsers.MemberOf(_world.A), s => s.CancelAsync(id, "Moved to next quarter."))).Succeeded);
        Item(queue, id).QuerySelector("[data-testid=approval-approve]")!.Click();

        queue.WaitForAssertion(() => Assert.Empty(queue.FindAll($"[data-testid=approval-item][data-window='{id}']")));
        var window = await _world.WindowAsync(id);
        Assert.Equal((MaintenanceWindowStatus.Cancelled, "Moved to next quarter."), (window.Status, window.Reason));
    }

    [Fact]
    public async Task Propose_99999Minutes_RefusedNamingTheLimits_NotProposedAs24Hours()
    {
        var id = await RequestedAsync(_world.A, "queue-propose-long", WindowWorld.Local(24, 2));
        var queue = Show();
        queue.WaitForElement($"[data-testid=approval-item][data-window='{id}']");
        Item(queue, id).QuerySelector("[data-testid=approval-propose]")!.Click();

        var minutes = queue.WaitForElement("[data-testid=approval-minutes]");
        (minutes.TagName == "INPUT" ? minutes : minutes.QuerySelector("input")!).Change("99999");
        queue.Find("[data-testid=approval-propose-confirm]").Click();

        queue.WaitForAssertion(() => Assert.Equal("A window lasts between 30 min and 24 h (1,440 min).", Item(queue, id).QuerySelector("[data-testid=approval-error]")!.TextContent.Trim()));
        Assert.Null((await _world.WindowAsync(id)).ProposedStartsAt);
    }
}
