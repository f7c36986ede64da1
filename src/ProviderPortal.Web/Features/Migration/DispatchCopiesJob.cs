using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Features.Environments;
using Quartz;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// Hands queued copies to connected workers, across tenants (<see cref="FairShare"/>): the portal's capacity, each
/// tenant's limit, fairness, and only ever to a worker of the copy's own tenant. It also ends sessions whose node died or
/// whose token was revoked or tenant suspended (their copies go back to the queue), and asks the local supervisor for a worker where a tenant
/// has copies waiting and none connected. Runs every few seconds and whenever nudged; one at a time across the cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchCopiesJob(
    TenantScope scope,
    PortalDbContext db,
    EnvironmentConnections environments,
    WorkerMessenger messenger,
    LocalWorkerSupervisor supervisor,
    SeedDevices.SeedDeviceKeys seedKeys,
    IOptions<ReplicationOptions> options,
    TimeProvider clock,
    ILogger<DispatchCopiesJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        scope.UseSystem("dispatcher");
        await EndLostSessionsAsync(cancellationToken);
        var settings = options.Value;

        var queued = await (
            from t in db.ReplicationTasks
            join p in db.MigrationPlans on t.PlanId equals p.Id
            where t.State == ReplicationTaskState.Queued
                && ((p.Status == PlanStatus.Replicating && t.Kind != ReplicationTaskKind.Final) || (p.Status == PlanStatus.CuttingOver && t.Kind == ReplicationTaskKind.Final))
            select t).ToListAsync(cancellationToken);
        if (queued.Count == 0)
        {
            return;
        }

        var running = await db.ReplicationTasks.AsNoTracking().Where(t => t.State == ReplicationTaskState.Running)
            .Select(t => new { t.TenantId, t.WorkerSessionId, t.SeedOrderId }).ToListAsync(cancellationToken);

        // A seed device is written or read by one copy at a time (it holds one manifest): an order's VMs take turns.
        var seedBusy = running.Where(r => r.SeedOrderId is not null).Select(r => r.SeedOrderId!.Value).ToHashSet();
        queued = [.. queued.OrderBy(t => t.QueuedAt).Where(t => t.SeedOrderId is not { } order || seedBusy.Add(order))];
        if (queued.Count == 0)
        {
            return;
        }

        var sessions = await db.WorkerSessions.AsNoTracking().Where(s => s.DisconnectedAt == null).ToListAsync(cancellationToken);
        var tenantIds = queued.Select(t => t.TenantId).Distinct().ToList();
        // A suspended tenant's copies wait: its limit is nothing until it is reactivated.
        var limits = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Status == TenantStatus.Active ? t.MaxConcurrentReplications : 0, cancellationToken);

        var busy = running.Where(r => r.WorkerSessionId is not null).GroupBy(r => r.WorkerSessionId!.Value).ToDictionary(g => g.Key, g => g.Count());
        var assignments = FairShare.Assign(
            queued.Select(t => new FairShare.QueuedCopy(t.Id, t.TenantId, t.QueuedAt)),
            running.GroupBy(r => r.TenantId).ToDictionary(g => g.Key, g => g.Count()),
            limits,
            sessions.Select(s => new FairShare.Worker(s.Id, s.TenantId, s.Slots - busy.GetValueOrDefault(s.Id))),
            settings.MaxConcurrentCopies - running.Count);

        var now = clock.GetUtcNow();
        var byId = queued.ToDictionary(t => t.Id);
        var sessionsById = sessions.ToDictionary(s => s.Id);
        foreach (var assignment in assignments)
        {
            var task = byId[assignment.TaskId];
            var message = await BuildAsync(task, settings, cancellationToken);
            if (message is null)
            {
                continue;
            }

            task.Assign(assignment.SessionId, now);
            await db.SaveChangesAsync(cancellationToken);

            // The plan may have been paused or cancelled since the queue was read. Looked at again after this save: a pause
            // saved before it is seen here, one saved after it sees this copy running and stops it (PlanRunService.PauseAsync).
            if (!await StillHandedOutAsync(task, cancellationToken))
            {
                task.Release(null, now, countsAsFailure: false);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            try
            {
                await messenger.AssignAsync(sessionsById[assignment.SessionId].ConnectionId, message, cancellationToken);
                logger.LogInformation("{Kind} copy of {Vm} (attempt {Attempt}) assigned to worker {Worker}", task.Kind, task.VmId, task.Attempts, sessionsById[assignment.SessionId].WorkerName);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                task.Release("The worker could not be reached.", now, countsAsFailure: false);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogWarning("Assigning a copy to worker {Worker} failed: {Error}", sessionsById[assignment.SessionId].WorkerName, ex.Message);
            }
        }

        // Tenants with copies waiting and no worker at all: the portal starts one of its own (when configured to).
        var served = sessions.Select(s => s.TenantId).ToHashSet();
        foreach (var tenantId in tenantIds.Where(t => !served.Contains(t) && limits.GetValueOrDefault(t) > 0))
        {
            await supervisor.EnsureWorkerAsync(tenantId, cancellationToken);
        }
    }

    /// <summary>Whether the copy's plan still hands out copies of its kind: replicating, or cutting over for a final copy.</summary>
    private async Task<bool> StillHandedOutAsync(ReplicationTask task, CancellationToken cancellationToken)
    {
        var status = await db.MigrationPlans.AsNoTracking().Where(p => p.Id == task.PlanId).Select(p => (PlanStatus?)p.Status).SingleOrDefaultAsync(cancellationToken);
        return task.Kind == ReplicationTaskKind.Final ? status == PlanStatus.CuttingOver : status == PlanStatus.Replicating;
    }

    private async Task<TaskAssignment?> BuildAsync(ReplicationTask task, ReplicationOptions settings, CancellationToken cancellationToken)
    {
        var plan = await db.MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == task.PlanId, cancellationToken);
        var vm = await db.VmReplications.AsNoTracking().SingleAsync(v => v.Id == task.VmReplicationId, cancellationToken);
        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == plan.EnvironmentId, cancellationToken);
        if (environment is null)
        {
            logger.LogWarning("Plan {PlanId}'s environment is gone; its copies wait.", plan.Id);
            return null;
        }

        SeedAssignment? seed = null;
        if (task.IsSeed)
        {
            var order = await db.SeedDeviceOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == task.SeedOrderId, cancellationToken);
            if (order?.ProtectedKey is null)
            {
                logger.LogWarning("Seed copy {TaskId}: its order or the order's device key is gone; it waits.", task.Id);
                return null;
            }

            var capacity = await db.SeedDeviceModels.AsNoTracking().Where(m => m.Id == order.ModelId).Select(m => (long?)m.UsableCapacityBytes).SingleOrDefaultAsync(cancellationToken);
            seed = new SeedAssignment(task.SeedFolders, capacity, seedKeys.Unprotect(order.ProtectedKey));
        }

        return new TaskAssignment(
            task.Id,
            plan.Id,
            task.VmId,
            vm.VmName,
            task.Kind,
            environments.SettingsOf(environment),
            $"providerportal-{task.Kind.ToString().ToLowerInvariant()}-{task.Id:N}",
            task.SnapshotId,
            task.PreviousSnapshotId,
            [.. task.Disks.Select(d => new DiskAssignment(d.DiskKey, d.Target, d.CapacityBytes, d.SinceChangeId, d.CheckpointPlanId, d.CheckpointOffset, d.Done))],
            ReplicationRates.BytesPerSecond(plan.ThrottleMbps),
            task.Kind == ReplicationTaskKind.Final || settings.VerifyCopies,
            settings.Tuning(),
            seed);
    }

    /// <summary>Sessions whose node stopped vouching for them, whose token was revoked or whose tenant was suspended: closed, their copies queued again.</summary>
    private async Task EndLostSessionsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staleBefore = now - TimeSpan.FromSeconds(Math.Max(10, options.Value.WorkerTimeoutSeconds));
        var lost = await (
            from s in db.WorkerSessions
            join t in db.WorkerTokens on s.TokenId equals t.Id
            join tenant in db.Tenants on s.TenantId equals tenant.Id
            where s.DisconnectedAt == null && (s.LastSeenAt < staleBefore || t.RevokedAt != null || tenant.Status != TenantStatus.Active)
            select s.Id).ToListAsync(cancellationToken);
        foreach (var session in lost)
        {
            var released = await WorkerSessions.CloseAsync(db, session, now, cancellationToken);
            logger.LogInformation("Worker session {SessionId} ended (node lost or token revoked); {Copies} cop(ies) queued again", session, released.Count);
        }
    }
}
