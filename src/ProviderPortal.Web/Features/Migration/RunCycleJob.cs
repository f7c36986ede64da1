using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// One delta cycle of one plan, inside its tenant: every VM whose baseline is on the destination and that has no copy
/// queued or running gets a delta copy (snapshot Sk, the areas changed since S(k-1), then S(k-1) is dropped). A VM whose
/// baseline failed for good gets its baseline queued again, unless the plan's baseline travels by seed device. Runs at the plan's interval, and on "Sync now".
/// </summary>
[DisallowConcurrentExecution]
public sealed class RunCycleJob(TenantScope scope, PortalDbContext db, ReplicationScheduler scheduler, TimeProvider clock, ILogger<RunCycleJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!TenantJobData.TryRead(context, out var tenantId, out var planId))
        {
            logger.LogError("A delta cycle was started without a tenant or plan id; nothing was done.");
            return;
        }

        scope.UseTenant(tenantId, "delta cycle");
        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null || plan.IsFinished)
        {
            await scheduler.StopCyclesAsync(planId, cancellationToken);
            return;
        }

        if (plan.Status != PlanStatus.Replicating)
        {
            return;
        }

        var queued = await QueueCycleAsync(db, planId, clock.GetUtcNow(), cancellationToken);
        if (queued > 0)
        {
            logger.LogInformation("Plan {PlanId}: {Copies} delta cop(ies) queued", planId, queued);
            await scheduler.NudgeDispatcherAsync(cancellationToken);
        }
    }

    /// <summary>Queues the next copy of every VM of the plan that has none open. Saves. Returns how many.</summary>
    public static async Task<int> QueueCycleAsync(PortalDbContext db, Guid planId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bySeed = await db.MigrationPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Method == PlanMethod.SeedDevice).SingleOrDefaultAsync(cancellationToken);
        var vms = await db.VmReplications.Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        var open = (await db.ReplicationTasks.AsNoTracking()
            .Where(t => t.PlanId == planId && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running))
            .Select(t => t.VmReplicationId).ToListAsync(cancellationToken)).ToHashSet();
        var queued = 0;
        foreach (var vm in vms.Where(v => !open.Contains(v.Id)))
        {
            var kind = vm.State switch
            {
                VmReplicationState.Syncing or VmReplicationState.ReadyForCutover => ReplicationTaskKind.Delta,
                VmReplicationState.Baseline or VmReplicationState.Pending => ReplicationTaskKind.Baseline,
                _ => (ReplicationTaskKind?)null,
            };
            // A plan's baseline by seed device never goes over the network: it arrives when the devices are ingested.
            if (kind is not { } next || (bySeed && next == ReplicationTaskKind.Baseline))
            {
                continue;
            }

            if (vm.State == VmReplicationState.Pending)
            {
                vm.BeginBaseline(now);
            }

            db.ReplicationTasks.Add(ReplicationTask.QueueFor(vm, next, now));
            queued++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }
}
