using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Domain;
using ProviderPortal.Web.Features.Members;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>
/// A progress-hub connection lives only as long as its sign-in is still good: the portal here checks sessions every
/// second (Identity:RevalidationSeconds, a minute by default), so a connection whose user was removed or whose tenant was
/// suspended must be closed by the server within that period and the time of one check, well inside <see cref="Bound"/>.
/// </summary>
public sealed class ProgressHubSessionTests(ProgressHubSessionTests.CheckedEverySecond portal) : IClassFixture<ProgressHubSessionTests.CheckedEverySecond>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The portal on a real port, checking hub connections, open pages and cookies every second.</summary>
    public sealed class CheckedEverySecond : PortalFactory
    {
        public CheckedEverySecond()
        {
            UseKestrel(0);
        }

        public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Identity:RevalidationSeconds"] = "1" };
    }

    /// <summary>A member's connection watching its plan, with what it received and a task that ends when the server closes it.</summary>
    private async Task<(HubConnection Connection, ConcurrentQueue<CopyProgress> Received, Task Closed)> WatchAsync(TestTenant tenant, StartedPlan plan)
    {
        var connection = await ProgressTestData.ConnectAsync(portal.BaseUrl, tenant.Member.Email!);
        var received = new ConcurrentQueue<CopyProgress>();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<CopyProgress>(ProgressMessages.CopyProgress, received.Enqueue);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.InvokeAsync<PlanProgressSnapshot>("WatchPlan", plan.PlanId);
        return (connection, received, closed.Task);
    }

    [Fact]
    public async Task TenantSuspended_MemberWatchingAPlan_ConnectionClosedByTheServer()
    {
        var tenant = await portal.CreateTenantAsync("hub-suspended");
        var plan = await portal.CreateStartedPlanAsync(tenant, "suspended-watch");
        var (connection, received, closed) = await WatchAsync(tenant, plan);
        await using var _ = connection;
        await portal.PublishAsync(plan, 1L << 20);
        await WaitUntilAsync(() => !received.IsEmpty);

        var suspended = await portal.AsSystemAsync(services => services.GetRequiredService<TenantService>().SuspendAsync(tenant.Id, "Unpaid invoices"));
        Assert.True(suspended.Succeeded, suspended.Message);

        await closed.WaitAsync(Bound);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task MemberRemoved_ConnectionThatOnlyReceives_ClosedByTheServer()
    {
        var tenant = await portal.CreateTenantAsync("hub-removed");
        var plan = await portal.CreateStartedPlanAsync(tenant, "removed-watch");
        var (connection, received, closed) = await WatchAsync(tenant, plan);
        await using var _ = connection;
        await portal.PublishAsync(plan, 1L << 20);
        await WaitUntilAsync(() => !received.IsEmpty);

        var removed = await portal.AsUserAsync(TestUsers.AdminOf(tenant), services => services.GetRequiredService<MemberService>().RemoveAsync(tenant.Member.Id));
        Assert.True(removed.Succeeded, removed.Message);

        await closed.WaitAsync(Bound);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "The watcher never received the plan's progress.");
    }
}
