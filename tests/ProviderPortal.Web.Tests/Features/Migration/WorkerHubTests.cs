using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// The worker hub's rules, over a real connection: only a valid, unrevoked token gets in; a worker receives only its
/// own tenant's copies and credentials, and can report only on copies assigned to itself.
/// </summary>
public sealed class WorkerHubTests(WorkerHubTests.TwoTenants lab) : IClassFixture<WorkerHubTests.TwoTenants>
{
    public sealed class TwoTenants : IAsyncLifetime
    {
        public MigrationPortal Portal { get; } = new();

        public TestTenant A { get; private set; } = default!;

        public TestTenant B { get; private set; } = default!;

        public Guid EnvironmentA { get; private set; }

        public Guid EnvironmentB { get; private set; }

        public async Task InitializeAsync()
        {
            (A, EnvironmentA) = await Portal.CreateLabTenantAsync("hub-alpha");
            (B, EnvironmentB) = await Portal.CreateLabTenantAsync("hub-bravo");
        }

        public Task DisposeAsync()
        {
            Portal.Dispose();
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("ppw_not-a-token-anyone-issued")]
    [InlineData("Bearer-ish garbage")]
    public async Task Connect_WithoutAValidToken_IsRefusedWith401(string token)
    {
        await using var connection = HubWorker.Build(lab.Portal.BaseUrl, token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Connect_WithARevokedToken_IsRefused_AndAConnectedWorkerOfThatTokenIsDropped()
    {
        var secret = await lab.Portal.IssueTokenAsync(lab.A, "to revoke");
        var (worker, _) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, secret);
        await using var _ = worker;
        var closed = new TaskCompletionSource();
        worker.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        await lab.Portal.AsTenantAsync(lab.A, async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var token = await db.WorkerTokens.SingleAsync(t => t.Name == "to revoke");
            token.Revoke(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await using var again = HubWorker.Build(lab.Portal.BaseUrl, secret);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Tenant_Suspended_ItsConnectedWorkerIsDropped_ItsCopyWaits_AndItsTokenNoLongerWorks()
    {
        var (tenant, environment) = await lab.Portal.CreateLabTenantAsync("hub-charlie");
        var plan = await lab.Portal.StartPlanAsync(tenant, environment, "suspended tenant", ["lab-web-01"]);
        var secret = await lab.Portal.IssueTokenAsync(tenant, "suspended");
        var (worker, _) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, secret);
        await using var _ = worker;
        await NextForAsync(worker, plan);
        var closed = new TaskCompletionSource();
        worker.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        await lab.Portal.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            (await db.Tenants.SingleAsync(t => t.Id == tenant.Id)).Suspend("unpaid invoices", DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await MigrationPortal.WaitForAsync(async () => (await lab.Portal.ReadPlanAsync(plan)).Tasks.Single().State == ReplicationTaskState.Queued, TimeSpan.FromSeconds(15), "the copy to go back to the queue");
        await Task.Delay(2000); // a few dispatcher rounds: the copy stays queued while its tenant is suspended
        Assert.Equal(ReplicationTaskState.Queued, (await lab.Portal.ReadPlanAsync(plan)).Tasks.Single().State);
        await using var again = HubWorker.Build(lab.Portal.BaseUrl, secret);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => again.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Workers_OfTwoTenants_EachReceiveOnlyTheirOwnCopies_AndCannotReportOnTheOthers()
    {
        var planA = await lab.Portal.StartPlanAsync(lab.A, lab.EnvironmentA, "hub isolation A", ["lab-web-01"]);
        var planB = await lab.Portal.StartPlanAsync(lab.B, lab.EnvironmentB, "hub isolation B", ["lab-web-01"]);
        var (workerA, welcomeA) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, await lab.Portal.IssueTokenAsync(lab.A, "isolation A"));
        var (workerB, welcomeB) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, await lab.Portal.IssueTokenAsync(lab.B, "isolation B"));
        await using var a = workerA;
        await using var b = workerB;

        var assignedA = await NextForAsync(workerA, planA);
        var assignedB = await NextForAsync(workerB, planB);

        // Each got its own tenant's copy, its own lab's credentials, and targets under its own tenant's root only.
        Assert.Equal(planA, assignedA.PlanId);
        Assert.Equal(planB, assignedB.PlanId);
        Assert.Contains(lab.EnvironmentA.ToString("N"), assignedA.Source.LabRoot, StringComparison.Ordinal);
        Assert.Contains(lab.EnvironmentB.ToString("N"), assignedB.Source.LabRoot, StringComparison.Ordinal);
        Assert.All(assignedA.Disks, d => Assert.StartsWith(Path.Combine(lab.Portal.DestinationRoot, lab.A.Id.ToString("N")) + "/", d.Target, StringComparison.Ordinal));
        // Each worker may write under its own tenant's folder of every local-storage destination, and nowhere else.
        Assert.Contains(Path.Combine(lab.Portal.DestinationRoot, lab.A.Id.ToString("N")), welcomeA.DestinationRoots);
        Assert.All(welcomeA.DestinationRoots, r => Assert.EndsWith("/" + lab.A.Id.ToString("N"), r, StringComparison.Ordinal));
        Assert.Contains(Path.Combine(lab.Portal.DestinationRoot, lab.B.Id.ToString("N")), welcomeB.DestinationRoots);
        Assert.All(welcomeB.DestinationRoots, r => Assert.EndsWith("/" + lab.B.Id.ToString("N"), r, StringComparison.Ordinal));

        // A reports on B's copy: refused, and B's copy is untouched.
        var forged = new CheckpointReport(assignedB.TaskId, assignedB.Disks[0].DiskKey, "forged", 1 << 20, 1 << 20);
        var refused = await Assert.ThrowsAsync<HubException>(() => workerA.Connection.InvokeAsync(WorkerProtocol.Checkpoint, forged));
        Assert.Contains("not assigned to this worker", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => workerA.Connection.InvokeAsync(WorkerProtocol.Completed, new CompletedReport(assignedB.TaskId, 1)));
        await Assert.ThrowsAsync<HubException>(() => workerA.Connection.InvokeAsync(WorkerProtocol.Failed, new FailedReport(assignedB.TaskId, "forged", false)));

        var (_, _, tasksB) = await lab.Portal.ReadPlanAsync(planB);
        var taskB = Assert.Single(tasksB);
        Assert.Equal(ReplicationTaskState.Running, taskB.State);
        Assert.Null(taskB.Disks[0].CheckpointPlanId);

        // Nothing more of B reached A in the meantime.
        await Task.Delay(1500);
        Assert.DoesNotContain(workerA.Assignments, x => x.PlanId == planB);
    }

    [Fact]
    public async Task Worker_DisconnectingMidCopy_ItsCopyIsQueuedAgainAndGoesToTheNextWorker_KeepingItsSnapshotAndCheckpoint()
    {
        var plan = await lab.Portal.StartPlanAsync(lab.A, lab.EnvironmentA, "hub reconnect", ["lab-app-01"]);
        var token = await lab.Portal.IssueTokenAsync(lab.A, "reconnect");
        var (first, _) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, token);
        var assignment = await NextForAsync(first, plan);
        await first.Connection.InvokeAsync(WorkerProtocol.SnapshotTaken, new SnapshotReport(assignment.TaskId, "snap-test", new Dictionary<string, string?> { [assignment.Disks[0].DiskKey] = "cid-1" }));
        await first.Connection.InvokeAsync(WorkerProtocol.Checkpoint, new CheckpointReport(assignment.TaskId, assignment.Disks[0].DiskKey, "plan-x", 4 << 20, 4 << 20));

        await first.DisposeAsync();
        var (second, _) = await HubWorker.ConnectAsync(lab.Portal.BaseUrl, token, "second");
        await using var _ = second;
        var again = await NextForAsync(second, plan);

        Assert.Equal(assignment.TaskId, again.TaskId);
        Assert.Equal("snap-test", again.SnapshotId);
        Assert.Equal("plan-x", again.Disks[0].CheckpointPlanId);
        Assert.Equal(4 << 20, again.Disks[0].CheckpointOffset);
        var (_, _, tasks) = await lab.Portal.ReadPlanAsync(plan);
        Assert.Equal(1, Assert.Single(tasks).Attempts); // a lost worker does not use up an attempt
    }

    private static async Task<TaskAssignment> NextForAsync(HubWorker worker, Guid planId)
    {
        while (true)
        {
            var next = await worker.NextAssignmentAsync(TimeSpan.FromSeconds(20));
            if (next.PlanId == planId)
            {
                return next;
            }
        }
    }
}
