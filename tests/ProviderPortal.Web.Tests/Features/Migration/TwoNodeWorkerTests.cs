using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// Two portal nodes (one database, a real redis-server as the SignalR backplane, the scheduler on the first only) with a
/// worker on each: a copy handed out by the first node's dispatcher reaches a worker connected to the second, and the
/// progress a worker reports to one node reaches a browser watching on the other.
/// </summary>
public sealed class TwoNodeWorkerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = default!;
    private TwoNodeProgressTests.Node _first = default!;
    private TwoNodeProgressTests.Node _second = default!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _first = new TwoNodeProgressTests.Node("node-1", _redis.ConnectionString, null);
        _first.Start();
        _second = new TwoNodeProgressTests.Node("node-2", _redis.ConnectionString, _first);
        _second.Start();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Theory]
    [InlineData(1, 2)] // the worker on the node that dispatches; the browser on the other
    [InlineData(2, 1)] // the copy handed out across the backplane to a worker on the other node
    public async Task WorkerOnOneNode_ItsProgressReachesABrowserOnTheOther(int workerNode, int browserNode)
    {
        var (tenant, environment) = await _first.CreateLabTenantAsync($"two-nodes-{workerNode}");
        var planId = await _first.StartPlanAsync(tenant, environment, "Across nodes", ["lab-web-01"]);
        var workerAt = workerNode == 1 ? _first : _second;
        var browserAt = browserNode == 1 ? _first : _second;

        await using var browser = await ProgressTestData.ConnectAsync(browserAt.BaseUrl, tenant.Member.Email!);
        var arrived = new TaskCompletionSource<CopyProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        browser.On<CopyProgress>(ProgressMessages.CopyProgress, report => arrived.TrySetResult(report));
        await browser.InvokeAsync<PlanProgressSnapshot>("WatchPlan", planId);

        var (worker, _) = await HubWorker.ConnectAsync(workerAt.BaseUrl, await _first.IssueTokenAsync(tenant, $"worker on node {workerNode}"));
        await using var _ = worker;
        var assignment = await worker.NextAssignmentAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(planId, assignment.PlanId);

        var clock = Stopwatch.StartNew();
        await worker.Connection.InvokeAsync(WorkerProtocol.Progress, new ProgressReport(assignment.TaskId, "copying", [new DiskProgressReport(assignment.Disks[0].DiskKey, 5L << 20, 24L << 20, 3e6)]));
        var report = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(assignment.TaskId, report.TaskId);
        Assert.Equal(5L << 20, report.Disks.Single().BytesDone);
        output.WriteLine($"worker on node-{workerNode} → browser on node-{browserNode}: {clock.Elapsed.TotalMilliseconds:F1} ms");
    }
}
