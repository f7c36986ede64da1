using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>The plan's snapshot as ProgressService reads it from the portal's database.</summary>
public sealed class ProgressServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task PlanAsync_CopyCompletesWhileThePlanIsRead_VmStateAndCopyFromTheSameMoment()
    {
        var tenant = await factory.CreateTenantAsync("progress-read");
        var plan = await factory.CreateStartedPlanAsync(tenant, "read-while-done");

        // The worker's "completed" lands right after the page started reading the plan's VMs.
        var completion = new CompleteOnFirstRead(() => factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, "worker");
            var db = services.GetRequiredService<PortalDbContext>();
            var task = await db.ReplicationTasks.SingleAsync(t => t.Id == plan.TaskId);
            var vm = await db.VmReplications.SingleAsync(v => v.Id == plan.VmReplicationId);
            var changeIds = new Dictionary<string, string?> { ["2000"] = "change-1" };
            task.RecordSnapshot("snap-1", changeIds);
            task.RecordDiskDone("2000", ProgressTestData.DiskBytes, ProgressTestData.DiskBytes);
            task.Complete(DateTimeOffset.UtcNow);
            vm.CompleteCopy("snap-1", changeIds, new Dictionary<string, long> { ["2000"] = ProgressTestData.DiskBytes }, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        }));

        var snapshot = await factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var options = new DbContextOptionsBuilder<PortalDbContext>(services.GetRequiredService<DbContextOptions<PortalDbContext>>()).AddInterceptors(completion).Options;
            await using var db = new PortalDbContext(options, services.GetRequiredService<ITenantContext>());
            return await new ProgressService(db, TimeProvider.System).PlanAsync(plan.PlanId);
        });

        Assert.True(completion.Done, "The copy's completion was never committed during the read.");
        var vm = Assert.Single(snapshot!.Vms);
        var copy = vm.LatestCopy!;
        Assert.True(
            (vm.State, copy.State) is (VmReplicationState.Baseline, ReplicationTaskState.Running) or (VmReplicationState.Syncing, ReplicationTaskState.Succeeded),
            $"The page would show the VM {vm.State} beside its copy {copy.State}.");
    }

    [Fact]
    public async Task OperationsAsync_PausedPlansQueuedCopy_ReadsPaused()
    {
        var tenant = await factory.CreateTenantAsync("progress-ops-paused");
        var plan = await factory.CreateReplicatingPlanAsync(tenant, "ops-paused", "Ops destination");
        var paused = await factory.AsUserAsync(TestUsers.AdminOf(tenant), s => s.GetRequiredService<Web.Features.Migration.PlanRunService>().PauseAsync(plan.PlanId));
        Assert.True(paused.Succeeded, paused.Message);

        var operations = await factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<ProgressService>().OperationsAsync());

        var copy = Assert.Single(operations.Copies, c => c.PlanId == plan.PlanId);
        Assert.Equal("paused", ReplicationOperationsPage.StateText(copy));
    }

    /// <summary>Runs the change once, as soon as a query reading the plan's VMs has started returning rows.</summary>
    private sealed class CompleteOnFirstRead(Func<Task<int>> change) : DbCommandInterceptor
    {
        public bool Done { get; private set; }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (!Done && command.CommandText.Contains("FROM \"VmReplications\"", StringComparison.Ordinal))
            {
                Done = true;
                await change();
            }

            return result;
        }
    }
}
