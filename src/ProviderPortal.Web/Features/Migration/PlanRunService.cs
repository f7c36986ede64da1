using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;

using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// What is done to a plan once it is configured: start it, pause and resume it, change its throttle while copies run, sync
/// now, start its cutover, cancel it. Who may do which is <see cref="PlanPermissions"/>; every call works inside the user's
/// tenant (the data layer's filter): another tenant's plan "does not exist". Provider staff act on any tenant's plan.
/// </summary>
public sealed class PlanRunService(
    PortalDbContext db,
    ITenantContext tenant,
    UserPermissions permissions,
    ReplicationScheduler scheduler,
    WorkerMessenger workers,
    CutoverNotices notices,
    TimeProvider clock,
    ILogger<PlanRunService> logger)
{
    /// <summary>Draft → Replicating: a baseline copy of every VM is queued for the tenant's workers.</summary>
    public async Task<ServiceResult> StartAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Start) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var destination = plan.DestinationId is { } destinationId
            ? await db.DestinationSites.AsNoTracking().SingleOrDefaultAsync(d => d.Id == destinationId, cancellationToken)
            : null;
        if (destination is null)
        {
            return ServiceResult.Fail("Choose a destination before starting the plan.");
        }

        if (destination.Retired)
        {
            return ServiceResult.Fail($"The destination {destination.Name} no longer takes new plans; choose another one.");
        }

        var ids = plan.Vms.Select(v => v.VmId).ToList();
        var inventory = await db.InventoryVms.AsNoTracking()
            .Where(v => v.EnvironmentId == plan.EnvironmentId && ids.Contains(v.ExternalId))
            .ToDictionaryAsync(v => v.ExternalId, StringComparer.Ordinal, cancellationToken);
        var missing = plan.Vms.Where(v => !inventory.ContainsKey(v.VmId) || inventory[v.VmId].Disks.Count == 0).Select(v => v.Name).ToList();
        if (missing.Count > 0)
        {
            return ServiceResult.Fail($"The inventory no longer holds {string.Join(", ", missing)} (or its disks); sync the environment and try again.");
        }

        var now = clock.GetUtcNow();
        try
        {
            plan.Start(now);
        }
        catch (DomainException ex)
        {
            return Refused(ex);
        }

        foreach (var vm in plan.Vms)
        {
            var disks = inventory[vm.VmId].Disks
                .Select(d => new DiskReplication(d.Key, d.Label, d.CapacityBytes, destination.TargetFor(plan.TenantId, plan.Id, vm.VmId, d.Key), null, 0))
                .ToList();
            var replication = VmReplication.Create(plan, vm, disks);
            db.VmReplications.Add(replication);
            if (plan.Method == PlanMethod.Network)
            {
                replication.BeginBaseline(now);
                db.ReplicationTasks.Add(ReplicationTask.QueueFor(replication, ReplicationTaskKind.Baseline, now));
            }

            // By seed device, the VMs wait: their baseline is written onto the devices by the plan's worker and ingested at
            // the provider's (SeedDeviceRuns); nothing goes over the network before that.
        }

        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleCyclesAsync(plan.TenantId, plan.Id, TimeSpan.FromMinutes(plan.SyncIntervalMinutes), cancellationToken);
        await scheduler.NudgeDispatcherAsync(cancellationToken);
        logger.LogInformation("Plan {PlanId} started ({Method}): {Vms} VM(s) to {Destination}", plan.Id, plan.Method, plan.Vms.Count, destination.Name);
        return ServiceResult.Ok;
    }

    /// <summary>
    /// Replicating → Paused: every copy of the plan stops, the running ones at once (their checkpoints stay), the queued
    /// ones where they are; nothing new starts until it resumes.
    /// </summary>
    public async Task<ServiceResult> PauseAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Control) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var vms = await db.VmReplications.Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        List<(Guid Task, string Connection)> released;
        try
        {
            plan.Pause();
            foreach (var vm in vms.Where(v => v.State is VmReplicationState.Pending or VmReplicationState.Baseline or VmReplicationState.Syncing or VmReplicationState.ReadyForCutover))
            {
                vm.Pause();
            }

            // Queued copies stay queued: the dispatcher hands out only a replicating plan's copies.
            released = await ReleaseRunningAsync(planId, cancellationToken);
        }
        catch (DomainException ex)
        {
            return Refused(ex);
        }

        await db.SaveChangesAsync(cancellationToken);

        // The dispatcher may have handed out a copy between the read above and this save (it read the plan as replicating).
        // Each side looks again after its own save, so whichever saved second sees the other: a copy started meanwhile
        // is stopped here, or by the dispatcher itself.
        db.Forget<ReplicationTask>();
        var late = await ReleaseRunningAsync(planId, cancellationToken);
        if (late.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var (task, connection) in released.Concat(late))
        {
            await workers.CancelAsync(connection, task, cancellationToken);
        }

        logger.LogInformation("Plan {PlanId} paused: {Copies} running cop(ies) stopped", plan.Id, released.Count + late.Count);
        return ServiceResult.Ok;
    }

    /// <summary>Paused (or RolledBack) → Replicating: copies resume from their checkpoints, cycles go on.</summary>
    public async Task<ServiceResult> ResumeAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Control) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var vms = await db.VmReplications.Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        try
        {
            var rolledBack = plan.Status == PlanStatus.RolledBack;
            plan.Resume();
            foreach (var vm in vms)
            {
                if (vm.State == VmReplicationState.Paused)
                {
                    vm.Resume();
                }
                else if (rolledBack && vm.State == VmReplicationState.RolledBack)
                {
                    vm.ResumeAfterRollback();
                }
            }
        }
        catch (DomainException ex)
        {
            return Refused(ex);
        }

        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleCyclesAsync(plan.TenantId, plan.Id, TimeSpan.FromMinutes(plan.SyncIntervalMinutes), cancellationToken);
        await scheduler.NudgeDispatcherAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>Queues a delta cycle now instead of at the next interval (e.g. just before a cutover, to keep its final copy small).</summary>
    public async Task<ServiceResult> SyncNowAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Control) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        if (plan.Status != PlanStatus.Replicating)
        {
            return ServiceResult.Fail($"Only a replicating plan syncs; this plan is {MigrationPlan.Describe(plan.Status)}.");
        }

        await scheduler.SyncNowAsync(plan.TenantId, planId, cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>A new throttle for the plan, applied at once to its copies that are running.</summary>
    public async Task<ServiceResult> SetThrottleAsync(Guid planId, int? mbps, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Control) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        try
        {
            plan.SetThrottle(mbps);
        }
        catch (DomainException ex)
        {
            Forget();
            return ServiceResult.Fail(ex.Message, nameof(MigrationPlan.ThrottleMbps));
        }

        await db.SaveChangesAsync(cancellationToken);
        var running = await db.ReplicationTasks.AsNoTracking().Where(t => t.PlanId == planId && t.State == ReplicationTaskState.Running).ToListAsync(cancellationToken);
        foreach (var (task, connection) in await WorkerMessenger.ConnectionsOfAsync(db, running, cancellationToken))
        {
            await workers.ThrottleAsync(connection, new ThrottleUpdate(task, ReplicationRates.BytesPerSecond(mbps)), cancellationToken);
        }

        return ServiceResult.Ok;
    }

    /// <summary>
    /// Replicating → CuttingOver, started by hand: by staff at any time, by the tenant's administrators only while the plan's
    /// approved window is open (before it, the window starts the cutover by itself). The cutover job does the rest.
    /// </summary>
    public async Task<ServiceResult> StartCutoverAsync(Guid planId, string startedBy, CancellationToken cancellationToken = default)
    {
        RequireActor();
        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var vms = await db.VmReplications.Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        if (await CutoverRefusalAsync(plan, vms, cancellationToken) is { } refusal)
        {
            return ServiceResult.Fail(refusal);
        }

        return await BeginCutoverAsync(plan, vms, startedBy, cancellationToken);
    }

    /// <summary>The window clock: an approved window's start has come (the clock began the window in this context).</summary>
    public async Task<ServiceResult> StartWindowCutoverAsync(Guid planId, string window, CancellationToken cancellationToken = default)
    {
        if (tenant.ActorId is not null || !tenant.CanSeeAllTenants)
        {
            throw new InvalidOperationException("Only the window clock starts a cutover for its window.");
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var vms = await db.VmReplications.Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        return await BeginCutoverAsync(plan, vms, window, cancellationToken);
    }

    /// <summary>Why the signed-in user cannot start the plan's cutover now, in words; null when they can.</summary>
    public async Task<string?> CutoverRefusalAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireActor();
        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return "That plan does not exist.";
        }

        var vms = await db.VmReplications.AsNoTracking().Where(v => v.PlanId == planId).ToListAsync(cancellationToken);
        return await CutoverRefusalAsync(plan, vms, cancellationToken);
    }

    private async Task<string?> CutoverRefusalAsync(MigrationPlan plan, IReadOnlyCollection<VmReplication> vms, CancellationToken cancellationToken)
    {
        if (!await permissions.AllowsAsync(Policies.ForPlan(PlanAction.Cutover)))
        {
            return PlanPermissions.Refusal(PlanAction.Cutover);
        }

        if (plan.Status != PlanStatus.Replicating)
        {
            return $"A cutover starts from a replicating plan{(plan.Status == PlanStatus.Paused ? "; resume it first" : "")}. This plan is {MigrationPlan.Describe(plan.Status)}.";
        }

        if (MigrationPlan.CutoverWaitsFor([.. vms.Select(v => (v.VmName, v.BaselineDone))]) is { } waiting)
        {
            return waiting;
        }

        return await permissions.AllowsAsync(Policies.ProviderStaff) ? null : await notices.OutsideWindowAsync(plan, cancellationToken);
    }

    private async Task<ServiceResult> BeginCutoverAsync(MigrationPlan plan, List<VmReplication> vms, string startedBy, CancellationToken cancellationToken)
    {
        try
        {
            plan.BeginCutover(vms, startedBy, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return Refused(ex);
        }

        await notices.StartedAsync(plan, startedBy, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The plan's window was changed (cancelled, moved) at the same moment: nothing starts, the user looks again.
            db.DiscardPendingChanges();
            return ServiceResult.Fail("The plan's window changed at the same moment, so the cutover was not started. Look at the plan again.");
        }

        await scheduler.StopCyclesAsync(plan.Id, cancellationToken);
        await scheduler.StartCutoverAsync(plan.TenantId, plan.Id, cancellationToken);
        logger.LogInformation("Plan {PlanId}: cutover started by {StartedBy}", plan.Id, startedBy);
        return ServiceResult.Ok;
    }

    /// <summary>Gives the plan up: queued and running copies stop, the sources are not touched.</summary>
    public async Task<ServiceResult> CancelAsync(Guid planId, string reason, CancellationToken cancellationToken = default)
    {
        RequireActor();
        if (await DeniedAsync(PlanAction.Cancel) is { } denied)
        {
            return denied;
        }

        var plan = await ReadPlanAsync(planId, cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        var open = await db.ReplicationTasks.Where(t => t.PlanId == planId && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running)).ToListAsync(cancellationToken);
        var sessions = await WorkerMessenger.ConnectionsOfAsync(db, open.Where(t => t.State == ReplicationTaskState.Running).ToList(), cancellationToken);
        try
        {
            plan.Cancel(string.IsNullOrWhiteSpace(reason) ? "Cancelled by " + tenant.ActorName : reason);
            foreach (var task in open)
            {
                task.Cancel(clock.GetUtcNow());
            }
        }
        catch (DomainException ex)
        {
            return Refused(ex);
        }

        await notices.PlanCancelledAsync(plan, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardPendingChanges();
            return ServiceResult.Fail("The plan's window changed at the same moment, so the plan was not cancelled. Look at the plan again.");
        }

        await scheduler.StopCyclesAsync(plan.Id, cancellationToken);
        foreach (var (task, connection) in sessions)
        {
            await workers.CancelAsync(connection, task, cancellationToken);
        }

        return ServiceResult.Ok;
    }

    private static ServiceResult NotFound() => ServiceResult.Fail("That plan does not exist.");

    /// <summary>The refusal when the signed-in user may not do <paramref name="action"/> (<see cref="PlanPermissions"/>).</summary>
    private async Task<ServiceResult?> DeniedAsync(PlanAction action) =>
        await permissions.AllowsAsync(Policies.ForPlan(action)) ? null : ServiceResult.Fail(PlanPermissions.Refusal(action));

    /// <summary>
    /// The plan as the database holds it now, with no VM or copy of an earlier read left in the context: a page's context
    /// lives as long as the page, and a copy read there before (a running copy released by an earlier pause) would come back
    /// as it was then, whatever the workers and the dispatcher did since.
    /// </summary>
    private Task<MigrationPlan?> ReadPlanAsync(Guid planId, CancellationToken cancellationToken)
    {
        Forget();
        return db.MigrationPlans.SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
    }

    /// <summary>A refused action changes nothing: what it changed in memory is let go, so no later save carries it.</summary>
    private ServiceResult Refused(DomainException ex)
    {
        Forget();
        return ServiceResult.Fail(ex.Message);
    }

    private void Forget()
    {
        db.Forget<MigrationPlan>();
        db.Forget<VmReplication>();
        db.Forget<ReplicationTask>();
    }

    /// <summary>
    /// The plan's running copies, back to the queue with their snapshot and checkpoints (not counted as a failure); returns
    /// the connections of the workers that ran them, to be told to stop once this is saved.
    /// </summary>
    private async Task<List<(Guid Task, string Connection)>> ReleaseRunningAsync(Guid planId, CancellationToken cancellationToken)
    {
        var running = await db.ReplicationTasks.Where(t => t.PlanId == planId && t.State == ReplicationTaskState.Running).ToListAsync(cancellationToken);
        var connections = await WorkerMessenger.ConnectionsOfAsync(db, running, cancellationToken);
        foreach (var task in running)
        {
            task.Release(null, clock.GetUtcNow(), countsAsFailure: false);
        }

        return connections;
    }

    /// <summary>Tenant users act on their own plans, staff on any; anyone else has no business here.</summary>
    private void RequireActor()
    {
        if (tenant.TenantId is null && !tenant.CanSeeAllTenants)
        {
            throw new InvalidOperationException("Plans belong to a tenant; this user has none.");
        }
    }
}
