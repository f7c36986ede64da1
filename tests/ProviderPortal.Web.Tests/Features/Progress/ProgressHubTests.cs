using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Data;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>
/// The progress hub on a real Kestrel portal, with the .NET SignalR client signed in through the login form (and the
/// plan page in a real Chromium): a tenant watches only its own plans, and what is published for one plan reaches that
/// plan's watchers and nobody else. Two tenants with a running copy each are created once for the class.
/// </summary>
public sealed class ProgressHubTests(ProgressHubTests.TwoPlans plans) : IClassFixture<ProgressHubTests.TwoPlans>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public sealed class TwoPlans : IAsyncLifetime
    {
        public LivePortal Portal { get; } = new();

        public TestTenant A { get; private set; } = default!;

        public TestTenant B { get; private set; } = default!;

        public StartedPlan APlan { get; private set; } = default!;

        public StartedPlan BPlan { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Portal).InitializeAsync();
            A = await Portal.CreateTenantAsync("progress-a");
            B = await Portal.CreateTenantAsync("progress-b");
            APlan = await Portal.CreateStartedPlanAsync(A, "alpha-progress-plan");
            BPlan = await Portal.CreateStartedPlanAsync(B, "bravo-progress-plan");
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();
    }

    private LivePortal Portal => plans.Portal;

    [Fact]
    public async Task WatchPlan_OtherTenantsPlan_DoesNotExist()
    {
        await using var a = await ProgressTestData.ConnectAsync(Portal.BaseUrl, plans.A.Member.Email!);

        var refused = await Assert.ThrowsAsync<HubException>(() => a.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plans.BPlan.PlanId));
        var own = await a.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plans.APlan.PlanId);

        Assert.Contains("That plan does not exist.", refused.Message);
        Assert.DoesNotContain("bravo", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("alpha-progress-plan", own.Name);
    }

    [Fact]
    public async Task WatchPlan_OwnPlan_SnapshotFromTheDatabaseWithoutDestinationPaths()
    {
        await using var a = await ProgressTestData.ConnectAsync(Portal.BaseUrl, plans.A.Admin.Email!);

        var snapshot = await a.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plans.APlan.PlanId);

        var vm = Assert.Single(snapshot.Vms);
        Assert.Equal(plans.APlan.TaskId, vm.LatestCopy!.TaskId);
        Assert.Equal(ProgressTestData.DiskBytes, vm.LatestCopy.Disks.Single().BytesTotal);
        Assert.Equal("Could not open (destination) for writing (trying again)", vm.Error);
        Assert.DoesNotContain(plans.APlan.DiskTarget, System.Text.Json.JsonSerializer.Serialize(snapshot));
    }

    [Fact]
    public async Task Publish_ToBsPlan_ReachesBsWatcherAndNeverA()
    {
        await using var a = await ProgressTestData.ConnectAsync(Portal.BaseUrl, plans.A.Member.Email!);
        await using var b = await ProgressTestData.ConnectAsync(Portal.BaseUrl, plans.B.Member.Email!);
        var toA = new ConcurrentQueue<CopyProgress>();
        var toB = new ConcurrentQueue<CopyProgress>();
        var aChanged = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.On<CopyProgress>(ProgressMessages.CopyProgress, toA.Enqueue);
        b.On<CopyProgress>(ProgressMessages.CopyProgress, toB.Enqueue);
        a.On<Guid>(ProgressMessages.PlanChanged, id => aChanged.TrySetResult(id));
        await a.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plans.APlan.PlanId);
        await b.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plans.BPlan.PlanId);

        await Portal.PublishAsync(plans.BPlan, 100L << 20);
        await Portal.PublishAsync(plans.APlan, 7L << 20);
        // Sent to A after the others: once it has arrived, anything meant for B that leaked to A would have arrived too.
        await Portal.Services.GetRequiredService<ProgressPublisher>().PublishPlanChangedAsync(plans.A.Id, plans.APlan.PlanId);
        Assert.Equal(plans.APlan.PlanId, await aChanged.Task.WaitAsync(Patience));
        await WaitUntilAsync(() => !toB.IsEmpty);

        var forB = Assert.Single(toB);
        Assert.Equal(plans.BPlan.TaskId, forB.TaskId);
        Assert.Equal(100L << 20, forB.Disks.Single().BytesDone);
        var forA = Assert.Single(toA);
        Assert.Equal(plans.APlan.TaskId, forA.TaskId);
        Assert.Equal(7L << 20, forA.Disks.Single().BytesDone);
    }

    [Fact]
    public async Task WatchPlan_AfterTheSessionEnded_RefusedAndConnectionClosed()
    {
        var tenant = await Portal.CreateTenantAsync("progress-ended");
        var plan = await Portal.CreateStartedPlanAsync(tenant, "ended-session-plan");
        await using var connection = await ProgressTestData.ConnectAsync(Portal.BaseUrl, tenant.Member.Email!);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plan.PlanId);

        // A new security stamp (a changed password or role, a suspension) ends every session of the user. The portal checks
        // open connections only every minute here: the call itself must be refused, and its connection closed.
        await Portal.AsSystemAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.PortalUser>>();
            return await users.UpdateSecurityStampAsync((await users.FindByIdAsync(tenant.Member.Id))!);
        });
        var refused = await Record.ExceptionAsync(() => connection.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plan.PlanId));

        Assert.NotNull(refused);
        Assert.DoesNotContain("ended-session-plan", refused.Message, StringComparison.Ordinal);
        await closed.Task.WaitAsync(Patience);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task WatchOperations_TenantMember_Refused()
    {
        await using var member = await ProgressTestData.ConnectAsync(Portal.BaseUrl, plans.A.Member.Email!);

        var refused = await Assert.ThrowsAsync<HubException>(() => member.InvokeAsync("WatchOperations"));

        Assert.Contains("Only provider staff", refused.Message);
    }

    [Fact]
    public async Task WatchOperations_ProviderOperator_ReceivesEveryTenantsSummaries()
    {
        await using var staff = await ProgressTestData.ConnectAsync(Portal.BaseUrl, "operator@provider.example");
        var received = new ConcurrentQueue<OperationsCopyProgress>();
        staff.On<OperationsCopyProgress>(ProgressMessages.OperationsProgress, received.Enqueue);
        await staff.InvokeAsync("WatchOperations");

        await Portal.PublishAsync(plans.APlan, 1L << 20);
        await Portal.PublishAsync(plans.BPlan, 2L << 20);
        await WaitUntilAsync(() => received.Count >= 2);

        Assert.Contains(received, r => r.TenantId == plans.A.Id && r.TaskId == plans.APlan.TaskId && r.BytesDone == 1L << 20);
        Assert.Contains(received, r => r.TenantId == plans.B.Id && r.TaskId == plans.BPlan.TaskId && r.BytesTotal == ProgressTestData.DiskBytes);
    }

    [Fact]
    public async Task Connect_WithoutSignIn_Unauthorized()
    {
        await using var anonymous = new HubConnectionBuilder().WithUrl(Portal.BaseUrl + ProgressHub.Path).Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task PlanPage_InBrowser_ShowsPublishedProgressLiveAndNotOtherTenants()
    {
        var page = await Portal.OpenSignedInAsync(plans.A.Member.Email!, $"/plans/{plans.APlan.PlanId}");
        await Assertions.Expect(page.Locator("[data-testid=plan-title]")).ToHaveTextAsync("alpha-progress-plan");
        await Assertions.Expect(page.Locator("[data-testid=plan-offline]")).ToHaveCountAsync(0);

        // Reports keep coming while the page watches: the first may go out before its browser joined the group.
        var locator = page.Locator("[data-testid=vm-line] [data-testid=progress-bytes]");
        for (var i = 1; i <= 40 && !(await locator.InnerTextAsync()).StartsWith("256 MiB", StringComparison.Ordinal); i++)
        {
            await Portal.PublishAsync(plans.APlan, 256L << 20);
            await Portal.PublishAsync(plans.BPlan, 500L << 20);
            await Task.Delay(250);
        }

        await Assertions.Expect(locator).ToHaveTextAsync("256 MiB of 512 MiB");
        await Assertions.Expect(page.Locator("[data-testid=vm-line] [data-testid=progress-percent]")).ToHaveTextAsync("50 %");
        var body = await page.InnerTextAsync("body");
        Assert.DoesNotContain("bravo-progress-plan", body);
        Assert.DoesNotContain("500 MiB", body);
        Assert.DoesNotContain(plans.APlan.DiskTarget, await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "plan-progress-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanPage_InBrowser_RateChartDrawsReplicationAndChangeRatePerCycle()
    {
        var plan = await Portal.CreateStartedPlanAsync(plans.A, "chart-plan");
        // 900 MB in 30 s and 450 MB in 45 s, 15 min apart: 28.6 and 9.5 MiB/s copied against 0.95 and 0.48 MiB/s changed.
        await Portal.AddFinishedCopiesAsync(plans.A, plan, [900_000_000, 450_000_000, 600_000_000], [30, 45, 40]);

        var page = await Portal.OpenSignedInAsync(plans.A.Member.Email!, $"/plans/{plan.PlanId}");

        var chart = page.Locator("[data-testid=rate-chart]");
        await Assertions.Expect(chart.Locator(".apexcharts-series").First).ToBeVisibleAsync();
        await Assertions.Expect(chart).ToContainTextAsync("Replication rate");
        await Assertions.Expect(chart).ToContainTextAsync("Change rate");
        await Assertions.Expect(chart).ToContainTextAsync("MiB/s");
        Assert.DoesNotContain("MB/s", await chart.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await chart.Locator("path.apexcharts-line").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid=chart-failed]").CountAsync());

        // Copied so far: the finished baseline (512 MiB) and cycles (1.95 GB) from the database; the running baseline has none yet.
        await Assertions.Expect(page.Locator("[data-testid=group-copied]")).ToHaveTextAsync("2.3 GiB");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "plan-rate-chart.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanPage_OtherTenantsPlanInBrowser_NotFound()
    {
        var page = await Portal.OpenSignedInAsync(plans.A.Member.Email!, $"/plans/{plans.BPlan.PlanId}");

        await Assertions.Expect(page.GetByText("Plan not found")).ToBeVisibleAsync();
        Assert.DoesNotContain("bravo-progress-plan", await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanPage_InBrowser_ThrottleCutoverOffUntilBaselinesPauseAndCancelWithReason()
    {
        var plan = await Portal.CreateReplicatingPlanAsync(plans.A, "actions-plan", "Frankfurt test site");
        var page = await Portal.OpenSignedInAsync(plans.A.Admin.Email!, $"/plans/{plan.PlanId}");
        var status = page.Locator("[data-testid=plan-status]");
        await Assertions.Expect(status).ToHaveTextAsync("Replicating");
        await Assertions.Expect(page.Locator("[data-testid=plan-summary]")).ToContainTextAsync("Frankfurt test site");
        await Assertions.Expect(page.Locator("[data-testid=vm-phase]")).ToHaveTextAsync("queued for a worker");

        await page.FillAsync("input[data-testid=plan-throttle]", "100");
        await page.PressAsync("input[data-testid=plan-throttle]", "Tab");
        await page.ClickAsync("[data-testid=plan-throttle-set]");
        await Assertions.Expect(page.Locator("[data-testid=plan-throttle-current]")).ToHaveTextAsync("now: 100 Mbit/s");

        // The cutover cannot start while a baseline is not on the destination: the button is off and says why.
        await Assertions.Expect(page.Locator("[data-testid=plan-cutover]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-testid=plan-cutover-hint]")).ToContainTextAsync("is not on the destination yet");
        await Assertions.Expect(status).ToHaveTextAsync("Replicating");

        // (Resume needs the replication jobs registered with Quartz, which the worker side brings; it is not clicked here.)
        await page.ClickAsync("[data-testid=plan-pause]");
        await Assertions.Expect(status).ToHaveTextAsync("Paused");
        await Assertions.Expect(page.Locator("[data-testid=vm-state]")).ToHaveTextAsync("Paused");
        await Assertions.Expect(page.Locator("[data-testid=vm-phase]")).ToHaveTextAsync("baseline copy paused; it starts when the plan is resumed");

        await page.ClickAsync("[data-testid=plan-cancel]");
        await page.FillAsync("input[data-testid=plan-confirm-reason]", "Moving to another site instead");
        await page.ClickAsync("[data-testid=plan-confirm-ok]");
        await Assertions.Expect(status).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(page.Locator("[data-testid=plan-reason]")).ToHaveTextAsync("Moving to another site instead");
        Assert.DoesNotContain(ProgressTestData.DestinationRoot, await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "plan-actions-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PlanPage_InBrowser_ThrottleBelowOneOrNoNumber_RefusedNotClamped()
    {
        var plan = await Portal.CreateReplicatingPlanAsync(plans.A, "throttle-input-plan", "Throttle input site");
        var page = await Portal.OpenSignedInAsync(plans.A.Admin.Email!, $"/plans/{plan.PlanId}");
        var throttle = page.Locator("input[data-testid=plan-throttle]");
        var set = page.Locator("[data-testid=plan-throttle-set]");
        await Assertions.Expect(page.Locator("[data-testid=plan-throttle-current]")).ToHaveTextAsync("now: none");

        await throttle.FillAsync("-5");
        await throttle.PressAsync("Tab");
        await set.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=plan-error]")).ToContainTextAsync("A throttle must be at least 1 Mbit/s, or empty for none.");
        await Assertions.Expect(throttle).ToHaveValueAsync("-5");
        await Assertions.Expect(page.Locator("[data-testid=plan-throttle-current]")).ToHaveTextAsync("now: none");

        // Text that is no whole number is said to be so, and Set stays off: it once removed the throttle instead.
        await throttle.FillAsync("2.5");
        await throttle.PressAsync("Tab");
        await Assertions.Expect(page.GetByText("Enter a whole number, in digits only.")).ToBeVisibleAsync();
        await Assertions.Expect(set).ToBeDisabledAsync();
        Assert.Null(await Portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MigrationPlans.Where(p => p.Id == plan.PlanId).Select(p => p.ThrottleMbps).SingleAsync()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OperationsPage_StaffInBrowser_EveryTenantsCopiesWithLiveFigures()
    {
        var page = await Portal.OpenSignedInAsync("operator@provider.example", "/provider/replication");
        var copies = page.Locator("[data-testid=ops-copies]");
        await Assertions.Expect(copies).ToContainTextAsync(plans.A.Name);
        await Assertions.Expect(copies).ToContainTextAsync(plans.B.Name);

        var bRow = copies.Locator("tr", new LocatorLocatorOptions { HasText = "bravo-progress-plan" }).Locator("[data-testid=ops-copy-progress]");
        for (var i = 0; i < 40 && !(await bRow.InnerTextAsync()).StartsWith("384 MiB", StringComparison.Ordinal); i++)
        {
            await Portal.PublishAsync(plans.BPlan, 384L << 20);
            await Task.Delay(250);
        }

        await Assertions.Expect(bRow).ToContainTextAsync("384 MiB of 512 MiB (75 %)");
        var html = await page.ContentAsync();
        Assert.DoesNotContain("/srv/", html);
        Assert.DoesNotContain("unused-secret", html);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "operations-replication-live.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
