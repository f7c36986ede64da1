using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// Reads progress from the database inside the caller's tenant scope (the data layer's filter): a tenant user gets only
/// their own plans, staff every tenant's. Another tenant's plan is simply not found.
/// </summary>
public sealed class ProgressService(PortalDbContext db, TimeProvider clock)
{
    /// <summary>How many finished copies per plan the chart reads (newest first).</summary>
    private const int ChartCopies = 500;

    /// <summary>The plan's snapshot, or null when the caller cannot see it.</summary>
    public async Task<PlanProgressSnapshot?> PlanAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        // The plan, its VMs and their copies in one statement: a worker's report commits a copy's state together with its
        // VM's and the plan's, and separate reads could show one side before and the other after ("Baseline" beside
        // "baseline copy done").
        var read = await db.MigrationPlans.AsNoTracking().Where(p => p.Id == planId)
            .Select(p => new
            {
                Plan = p,
                Vms = db.VmReplications.Where(v => v.PlanId == p.Id)
                    .Select(v => new { Replication = v, Tasks = db.ReplicationTasks.Where(t => t.VmReplicationId == v.Id).ToList() })
                    .ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (read is null)
        {
            return null;
        }

        var plan = read.Plan;
        var replications = read.Vms.Select(v => v.Replication).ToList();
        var tasks = read.Vms.SelectMany(v => v.Tasks).ToList();
        var destination = plan.DestinationId is { } destinationId
            ? await db.DestinationSites.AsNoTracking().Where(d => d.Id == destinationId).Select(d => new { d.Name, d.Location }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var latest = tasks.GroupBy(t => t.VmReplicationId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.QueuedAt).ThenByDescending(t => t.StartedAt).First());

        // Anything a browser may see is scrubbed of where the disks are written.
        var hidden = replications.SelectMany(v => v.Disks.Select(d => d.Target)).Append(destination?.Location)
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct().OrderByDescending(s => s.Length).ToList();
        string? Scrub(string? text) => text is null ? null : hidden.Aggregate(text, (t, secret) => t.Replace(secret, "(destination)", StringComparison.Ordinal));

        var vms = plan.Vms.OrderBy(v => v.BootOrder).Select(vm =>
        {
            var replication = replications.SingleOrDefault(r => r.VmId == vm.VmId);
            if (replication is null)
            {
                return new PlanVmSnapshot(null, vm.VmId, vm.Name, vm.BootOrder, null, 0, null, 0, 0, null, null, null, 0, []);
            }

            var task = latest.GetValueOrDefault(replication.Id);
            var copy = task is null ? null : Copy(task);
            var earlier = tasks.Where(t => t.VmReplicationId == replication.Id && t.Id != task?.Id).Sum(t => t.Disks.Sum(Done));
            return new PlanVmSnapshot(replication.Id, vm.VmId, replication.VmName, replication.BootOrder, replication.State, replication.Cycles, replication.LastCycleAt,
                replication.LastCycleBytes, replication.LastCycleSeconds, replication.Downtime, Scrub(replication.Error), copy, earlier,
                [.. replication.Disks.Select(d => new VmDiskSnapshot(d.DiskKey, d.Label, d.CapacityBytes))]);
        }).ToList();

        // A round stays on the page, finished members included, while any of its copies is queued or running.
        var open = tasks.Where(t => t.State is ReplicationTaskState.Queued or ReplicationTaskState.Running).Select(t => (t.Kind, t.QueuedAt)).ToHashSet();
        var rounds = tasks.Where(t => open.Contains((t.Kind, t.QueuedAt))).OrderBy(t => t.QueuedAt).Select(Copy).ToList();

        var finished = tasks.Where(t => t.State == ReplicationTaskState.Succeeded && t.StartedAt is not null && t.FinishedAt is not null)
            .OrderByDescending(t => t.FinishedAt).Take(ChartCopies)
            .Select(t => new FinishedCopy(t.VmReplicationId, t.Kind, t.StartedAt!.Value, t.FinishedAt!.Value, t.Disks.Sum(d => Math.Max(d.BytesTotal, d.BytesDone))))
            .OrderBy(c => c.FinishedAt).ToList();

        return new PlanProgressSnapshot(plan.Id, plan.Name, plan.Status, plan.StatusReason, destination?.Name, plan.Method, plan.StartOnDestination,
            plan.RemoveSourceAfterSuccess, plan.SyncIntervalMinutes, plan.ThrottleMbps, plan.StartedAt, plan.CutoverStartedAt, plan.CutoverEndedAt,
            vms, rounds, finished, clock.GetUtcNow(), plan.ForecastInitialCopy, plan.ForecastDowntime);

        CopySnapshot Copy(ReplicationTask task) => new(task.Id, task.Kind, task.State, task.Attempts, task.QueuedAt, task.StartedAt, task.FinishedAt, Scrub(task.Error),
            [.. task.Disks.Select(d => new CopyDiskSnapshot(d.DiskKey, d.CapacityBytes, d.BytesTotal, Done(d), d.Done))]);

        // What a disk's copy moved, as its progress showed it: all of it once done, else up to its last checkpoint.
        static long Done(TaskDisk d) => d.Done ? Math.Max(d.BytesTotal, d.BytesDone) : d.BytesDone;
    }

    /// <summary>For provider staff: every tenant's queued and running copies, active plans and connected workers.</summary>
    public async Task<OperationsSnapshot> OperationsAsync(CancellationToken cancellationToken = default)
    {
        var tenants = await db.Tenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var plans = await db.MigrationPlans.AsNoTracking()
            .Where(p => p.Status == PlanStatus.Replicating || p.Status == PlanStatus.Paused || p.Status == PlanStatus.CuttingOver || p.Status == PlanStatus.RolledBack)
            .ToListAsync(cancellationToken);
        var copies = await db.ReplicationTasks.AsNoTracking()
            .Where(t => t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running)
            .ToListAsync(cancellationToken);
        var planIds = copies.Select(c => c.PlanId).Distinct().ToList();
        var planNames = await db.MigrationPlans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.Name, p.Status }, cancellationToken);
        var vmIds = copies.Select(c => c.VmReplicationId).Distinct().ToList();
        var vmNames = await db.VmReplications.AsNoTracking().Where(v => vmIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.VmName, cancellationToken);
        var sessions = await db.WorkerSessions.AsNoTracking().Where(s => s.DisconnectedAt == null).ToListAsync(cancellationToken);
        var sessionNames = sessions.ToDictionary(s => s.Id, s => s.WorkerName);

        string TenantName(Guid id) => tenants.GetValueOrDefault(id, "(removed tenant)");
        return new OperationsSnapshot(
            [.. copies.OrderBy(c => c.State == ReplicationTaskState.Running ? 0 : 1).ThenBy(c => c.QueuedAt).Select(c => new OperationsCopy(
                c.Id, c.TenantId, TenantName(c.TenantId), c.PlanId, planNames.GetValueOrDefault(c.PlanId)?.Name ?? "(removed plan)", vmNames.GetValueOrDefault(c.VmReplicationId, c.VmId),
                c.Kind, c.State, c.Attempts, c.QueuedAt, c.StartedAt, c.WorkerSessionId is { } s ? sessionNames.GetValueOrDefault(s) : null, c.BytesDone, c.BytesTotal,
                planNames.GetValueOrDefault(c.PlanId)?.Status == PlanStatus.Paused))],
            [.. plans.OrderBy(p => TenantName(p.TenantId), StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .Select(p => new OperationsPlan(p.Id, p.TenantId, TenantName(p.TenantId), p.Name, p.Status, p.Vms.Count, p.ThrottleMbps, p.StartedAt))],
            [.. sessions.OrderBy(s => TenantName(s.TenantId), StringComparer.OrdinalIgnoreCase).ThenBy(s => s.WorkerName, StringComparer.OrdinalIgnoreCase)
                .Select(s => new OperationsWorker(s.Id, TenantName(s.TenantId), s.WorkerName, s.Node, s.IsLocal, s.Slots, s.Version, s.ConnectedAt, s.LastSeenAt))],
            clock.GetUtcNow());
    }
}
