using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// The group-consistent cutover of one plan, inside its tenant: the plan's cycles stop, every source VM is stopped
/// (guest shutdown, then a hard power-off after the timeout), a final copy of every disk of every VM is made and verified
/// (the engine hashes every copied range on both sides), then the destination VMs are started in boot order if the plan
/// says so. Any failure before a destination VM started rolls the whole group back: the final copies are stopped, every
/// source that was running is powered on again, and the plan is RolledBack with the reason. Downtime is measured per VM
/// from its stop request to the destination being ready. The sources are deleted only when the plan asks for it and
/// everything succeeded; otherwise they stay, switched off.
/// A re-run (its node died) picks up where the plan is: VMs already cutting over, final copies already queued.
/// Cutovers of different plans (and tenants) run side by side: each has its own trigger (one per plan), and a plan's
/// cutover is triggered only by the one call that moved it into CuttingOver.
/// </summary>
public sealed class CutoverJob(
    TenantScope scope,
    PortalDbContext db,
    EnvironmentConnections environments,
    ReplicationScheduler scheduler,
    WorkerMessenger workers,
    IEnumerable<IReplicationObserver> observers,
    CutoverNotices notices,
    IOptions<ReplicationOptions> options,
    TimeProvider clock,
    ILogger<CutoverJob> logger) : IJob
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!TenantJobData.TryRead(context, out var tenantId, out var planId))
        {
            logger.LogError("A cutover was started without a tenant or plan id; nothing was done.");
            return;
        }

        scope.UseTenant(tenantId, "cutover");
        var plan = await db.MigrationPlans.SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null || plan.Status != PlanStatus.CuttingOver)
        {
            return;
        }

        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == plan.EnvironmentId, cancellationToken);
        var vms = await db.VmReplications.Where(v => v.PlanId == planId).OrderBy(v => v.BootOrder).ThenBy(v => v.VmName).ToListAsync(cancellationToken);
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        if (environment is null)
        {
            await RollBackAsync(plan, vms, null, stopped, "The plan's environment was removed.", cancellationToken);
            return;
        }

        await using var connector = environments.Create(environment);
        try
        {
            await PrepareAsync(plan, vms, cancellationToken);
            await StopSourcesAsync(plan, vms, connector, stopped, cancellationToken);
            await FinalCopiesAsync(plan, vms, cancellationToken);
        }
        catch (CutoverFailure failure)
        {
            await RollBackAsync(plan, vms, connector, stopped, failure.Message, cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing runs at the destination yet: an error nobody foresaw rolls back like any failure, instead of leaving
            // the sources off and the plan (and its window) cutting over for ever. Its details stay in the log.
            logger.LogError(ex, "Plan {PlanId}: the cutover stopped on an unexpected error", plan.Id);
            await RollBackAsync(plan, vms, connector, stopped, "The cutover stopped on an unexpected error (the provider's staff can read the details in the portal's log).", cancellationToken);
            return;
        }

        await FinishAsync(plan, vms, connector, cancellationToken);
    }

    /// <summary>Every VM into CuttingOver; copies of the plan still queued or running are stopped (only the final copies may write now).</summary>
    private async Task PrepareAsync(MigrationPlan plan, List<VmReplication> vms, CancellationToken cancellationToken)
    {
        foreach (var vm in vms.Where(v => v.State != VmReplicationState.CuttingOver))
        {
            try
            {
                vm.BeginCutover();
            }
            catch (DomainException ex)
            {
                throw new CutoverFailure(ex.Message);
            }
        }

        var open = await db.ReplicationTasks
            .Where(t => t.PlanId == plan.Id && t.Kind != ReplicationTaskKind.Final && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running))
            .ToListAsync(cancellationToken);
        await CancelAsync(open, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // A copy that completed meanwhile moved a VM's snapshot and change ids (through the hub): the final copy starts from them.
        foreach (var vm in vms)
        {
            await db.Entry(vm).ReloadAsync(cancellationToken);
        }

        await ChangedAsync(plan);
    }

    /// <summary>All sources at once: a clean guest shutdown, a hard power-off when it does not finish in time (or cannot run).</summary>
    private async Task StopSourcesAsync(MigrationPlan plan, List<VmReplication> vms, ISourceConnector connector, HashSet<string> stopped, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var vm in vms.Where(v => v.SourceStoppedAt is null))
        {
            vm.SourceStopping(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.ShutdownTimeoutSeconds));
        var results = await Task.WhenAll(vms.Select(async vm => (vm, error: await StopAsync(connector, vm, timeout, stopped, cancellationToken))));
        var failed = results.Where(r => r.error is not null).ToList();
        if (failed.Count > 0)
        {
            throw new CutoverFailure(string.Join(" ", failed.Select(f => $"{f.vm.VmName} could not be stopped: {f.error}")));
        }
    }

    private async Task<string?> StopAsync(ISourceConnector connector, VmReplication vm, TimeSpan timeout, HashSet<string> stopped, CancellationToken cancellationToken)
    {
        try
        {
            await connector.ShutdownGuestAsync(vm.VmId, timeout, cancellationToken);
            Remember(stopped, vm.VmId);
            return null;
        }
        catch (ConnectorException ex) when (ex.Kind is ConnectorErrorKind.Timeout or ConnectorErrorKind.Conflict or ConnectorErrorKind.NotSupported)
        {
            logger.LogInformation("{Vm}: guest shutdown did not finish ({Reason}); powering off", vm.VmName, ex.Message);
        }
        catch (ConnectorException ex)
        {
            return ex.Message;
        }

        try
        {
            await connector.PowerOffAsync(vm.VmId, cancellationToken);
            Remember(stopped, vm.VmId);
            return null;
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.Conflict)
        {
            // Already off: it was off before the cutover (or the shutdown finished just now); nothing to power on again on rollback
            // unless the shutdown above was ours.
            return null;
        }
        catch (ConnectorException ex)
        {
            return ex.Message;
        }
    }

    private static void Remember(HashSet<string> stopped, string vmId)
    {
        lock (stopped)
        {
            stopped.Add(vmId);
        }
    }

    /// <summary>Queues a verified final copy of every VM (once) and waits until all succeeded; a copy failed for good, or the time limit, fails the cutover.</summary>
    private async Task FinalCopiesAsync(MigrationPlan plan, List<VmReplication> vms, CancellationToken cancellationToken)
    {
        var existing = await db.ReplicationTasks.AsNoTracking()
            .Where(t => t.PlanId == plan.Id && t.Kind == ReplicationTaskKind.Final && t.QueuedAt >= plan.CutoverStartedAt!.Value)
            .Select(t => t.VmReplicationId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var vm in vms.Where(v => !existing.Contains(v.Id)))
        {
            db.ReplicationTasks.Add(ReplicationTask.QueueFor(vm, ReplicationTaskKind.Final, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await scheduler.NudgeDispatcherAsync(cancellationToken);
        await ChangedAsync(plan);

        var deadline = clock.GetUtcNow() + TimeSpan.FromMinutes(Math.Max(1, options.Value.FinalCopyTimeoutMinutes));
        while (true)
        {
            var finals = await db.ReplicationTasks.AsNoTracking()
                .Where(t => t.PlanId == plan.Id && t.Kind == ReplicationTaskKind.Final && t.QueuedAt >= plan.CutoverStartedAt!.Value)
                .ToListAsync(cancellationToken);
            if (finals.FirstOrDefault(t => t.State is ReplicationTaskState.Failed or ReplicationTaskState.Cancelled) is { } failed)
            {
                var name = vms.Single(v => v.Id == failed.VmReplicationId).VmName;
                throw new CutoverFailure($"The final copy of {name} failed: {failed.Error ?? "it was cancelled"}");
            }

            if (finals.Count == vms.Count && finals.All(t => t.State == ReplicationTaskState.Succeeded))
            {
                break;
            }

            if (clock.GetUtcNow() > deadline)
            {
                throw new CutoverFailure($"The final copies did not finish within {options.Value.FinalCopyTimeoutMinutes} minutes.");
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }

        // The hub recorded each completed copy on its VM through another context: read the VMs afresh.
        foreach (var vm in vms)
        {
            await db.Entry(vm).ReloadAsync(cancellationToken);
        }
    }

    /// <summary>Starts the destinations in boot order (if asked), measures the downtime, completes the plan.</summary>
    private async Task FinishAsync(MigrationPlan plan, List<VmReplication> vms, ISourceConnector connector, CancellationToken cancellationToken)
    {
        foreach (var vm in vms)
        {
            if (plan.StartOnDestination)
            {
                // The destination platform starts the VM from its disks; the portal records the order and the moment.
                vm.StartedAtDestination(clock.GetUtcNow());
            }

            vm.CompleteCutover(clock.GetUtcNow());
        }

        // Every VM is at the destination (their downtime ends here); the plan completes once the sources are dealt with.
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Plan {PlanId} cut over: {Downtimes}", plan.Id, string.Join(", ", vms.Select(v => $"{v.VmName} down {v.Downtime?.TotalSeconds:F1} s")));

        string? removal = null;
        if (plan.RemoveSourceAfterSuccess)
        {
            removal = await RemoveSourcesAsync(plan, vms, connector, cancellationToken);
        }
        else
        {
            // The source keeps its last snapshot no longer: the destination holds its data. The VM itself stays (switched off).
            foreach (var vm in vms.Where(v => v.SnapshotId is not null))
            {
                try
                {
                    await connector.RemoveSnapshotAsync(vm.VmId, vm.SnapshotId!, cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    logger.LogWarning("{Vm}: the last replication snapshot could not be removed: {Error}", vm.VmName, ex.Message);
                }
            }
        }

        plan.CompleteCutover(clock.GetUtcNow());
        if (removal is not null)
        {
            plan.NoteSourceRemoval(removal);
        }

        await notices.CompletedAsync(plan, vms, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await ChangedAsync(plan);
    }

    /// <summary>
    /// The plan asked for it and everything succeeded: the source VMs (off since the cutover) are deleted with their disks.
    /// One that cannot be deleted stays. Returns what the plan says about it.
    /// </summary>
    private async Task<string> RemoveSourcesAsync(MigrationPlan plan, List<VmReplication> vms, ISourceConnector connector, CancellationToken cancellationToken)
    {
        var kept = new List<string>();
        foreach (var vm in vms)
        {
            try
            {
                await connector.DeleteVmAsync(vm.VmId, cancellationToken);
                logger.LogInformation("{Vm}: the source VM was removed after the cutover, as plan {PlanId} asked", vm.VmName, plan.Id);
            }
            catch (ConnectorException ex)
            {
                kept.Add($"{vm.VmName} ({ex.Message})");
            }
        }

        return kept.Count == 0
            ? "The source VMs were removed, as the plan asked."
            : $"These source VMs could not be removed and are still there, switched off: {string.Join("; ", kept)}";
    }

    /// <summary>Stops the final copies, powers every source that this cutover stopped on again, and marks everything RolledBack.</summary>
    private async Task RollBackAsync(MigrationPlan plan, List<VmReplication> vms, ISourceConnector? connector, HashSet<string> stopped, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Plan {PlanId}: cutover failed, rolling back: {Reason}", plan.Id, reason);
        var open = await db.ReplicationTasks
            .Where(t => t.PlanId == plan.Id && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running))
            .ToListAsync(cancellationToken);
        await CancelAsync(open, cancellationToken);

        var problems = new List<string>();
        if (connector is not null)
        {
            foreach (var vm in vms.Where(v => stopped.Contains(v.VmId)))
            {
                try
                {
                    await connector.PowerOnAsync(vm.VmId, cancellationToken);
                }
                catch (ConnectorException ex) when (ex.Kind != ConnectorErrorKind.Conflict)
                {
                    problems.Add($"{vm.VmName} could not be powered on again: {ex.Message}");
                }
            }
        }

        foreach (var vm in vms.Where(v => v.State == VmReplicationState.CuttingOver))
        {
            vm.RollBack(reason);
        }

        var full = problems.Count == 0 ? reason : $"{reason} {string.Join(" ", problems)}";
        plan.RollBack(full.Length > 1000 ? full[..1000] : full, clock.GetUtcNow());
        await notices.RolledBackAsync(plan, full, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await ChangedAsync(plan);
    }

    private async Task CancelAsync(List<ReplicationTask> tasks, CancellationToken cancellationToken)
    {
        foreach (var (task, connection) in await WorkerMessenger.ConnectionsOfAsync(db, tasks, cancellationToken))
        {
            await workers.CancelAsync(connection, task, cancellationToken);
        }

        foreach (var task in tasks)
        {
            task.Cancel(clock.GetUtcNow());
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ChangedAsync(MigrationPlan plan)
    {
        foreach (var observer in observers)
        {
            await observer.PlanChangedAsync(plan.TenantId, plan.Id);
        }
    }

    private sealed class CutoverFailure(string message) : Exception(message);
}
