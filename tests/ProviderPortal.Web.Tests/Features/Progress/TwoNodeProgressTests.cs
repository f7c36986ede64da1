using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;
using Quartz;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>
/// Two portal nodes on real Kestrel ports, sharing one SQLite database and a real redis-server as the SignalR
/// backplane (only the first runs the scheduler). What one node publishes reaches a browser connected to the other.
/// </summary>
public sealed class TwoNodeProgressTests(TwoNodeProgressTests.Cluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeProgressTests.Cluster>
{
    /// <summary>A portal node on a real port with the backplane; <paramref name="shareWith"/> gives it the first node's data folder.</summary>
    public sealed class Node(string name, string redis, Node? shareWith) : PortalFactory
    {
        public string BaseUrl { get; private set; } = "";

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Portal:NodeName"] = name,
            ["SignalR:Redis"] = redis,
            // One database file (data/portal.db in the shared folder) and one set of data-protection keys.
            ["Portal:DataDirectory"] = shareWith?.DataDirectory ?? DataDirectory,
            // Quartz cannot cluster on SQLite: only the first node runs the scheduler.
            ["Scheduler:Enabled"] = shareWith is null ? "true" : "false",
        };

        public void Start()
        {
            UseKestrel(0);
            StartServer();
            BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public sealed class Cluster : IAsyncLifetime
    {
        private RedisServer? _redis;

        public Node First { get; private set; } = default!;

        public Node Second { get; private set; } = default!;

        public TestTenant Tenant { get; private set; } = default!;

        public StartedPlan Plan { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            _redis = await RedisServer.StartAsync();
            First = new Node("node-1", _redis.ConnectionString, null);
            First.Start();
            Second = new Node("node-2", _redis.ConnectionString, First);
            Second.Start();
            Tenant = await First.CreateTenantAsync("two-nodes");
            Plan = await First.CreateStartedPlanAsync(Tenant, "two-node-plan");
        }

        public async Task DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Publish_OnFirstNode_ReachesWatcherOnSecondNode()
    {
        await using var watcher = await ProgressTestData.ConnectAsync(cluster.Second.BaseUrl, cluster.Tenant.Member.Email!);
        var arrived = new TaskCompletionSource<CopyProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var latency = TimeSpan.Zero;
        watcher.On<CopyProgress>(ProgressMessages.CopyProgress, report =>
        {
            latency = clock.Elapsed;
            arrived.TrySetResult(report);
        });
        // The snapshot comes from the shared database, read by the second node.
        var snapshot = await watcher.InvokeAsync<PlanProgressSnapshot>("WatchPlan", cluster.Plan.PlanId);
        Assert.Equal("two-node-plan", snapshot.Name);

        clock.Start();
        await cluster.First.PublishAsync(cluster.Plan, 300L << 20);
        var report = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(cluster.Plan.TaskId, report.TaskId);
        Assert.Equal(300L << 20, report.Disks.Single().BytesDone);
        output.WriteLine($"Publish on node-1 to delivery on node-2 through redis: {latency.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Scheduler_SecondNode_DoesNotRunJobs()
    {
        var first = await cluster.First.Services.GetRequiredService<Web.Infrastructure.Jobs.PortalScheduler>().GetAsync();
        var second = await cluster.Second.Services.GetRequiredService<Web.Infrastructure.Jobs.PortalScheduler>().GetAsync();

        // A scheduler that was never started stores triggers but fires none.
        Assert.Equal(SchedulerStatus.Running, first.Status);
        Assert.Equal(SchedulerStatus.Created, second.Status);
        Assert.DoesNotContain(cluster.Second.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is QuartzHostedService);
    }
}
