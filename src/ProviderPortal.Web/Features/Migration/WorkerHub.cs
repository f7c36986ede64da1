using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// The hub workers connect to (<see cref="WorkerProtocol"/>), authenticated by their tenant token. Every method runs
/// inside the worker's tenant (the data layer's filter) and accepts a report only for a copy assigned to this very
/// session: a worker can neither see nor touch another tenant's copies, nor another worker's.
/// </summary>
[Authorize(AuthenticationSchemes = WorkerAuthentication.SchemeName)]
public sealed class WorkerHub(
    PortalDbContext db,
    TenantScope scope,
    WorkerConnections connections,
    ReplicationScheduler scheduler,
    PortalNode node,
    IEnumerable<IReplicationObserver> observers,
    SeedDevices.SeedDeviceRuns seedRuns,
    TimeProvider clock,
    ILogger<WorkerHub> logger) : Hub
{
    public async Task<WorkerWelcome> Hello(WorkerHello hello)
    {
        var (tokenId, tenantId) = WorkerAuthentication.Read(Context.User);
        scope.UseTenant(tenantId, "worker");
        var token = await db.WorkerTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.RevokedAt == null)
            ?? throw new HubException("The worker token was revoked.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId);
        var now = clock.GetUtcNow();
        var session = WorkerSession.Open(token, Context.ConnectionId, node.Name, hello.WorkerName, hello.Version, hello.Slots, hello.ProcessId, now);
        token.Used(now);
        db.WorkerSessions.Add(session);
        await db.SaveChangesAsync();
        connections.Add(Context.ConnectionId, new WorkerConnections.Connected(session.Id, tenantId, tokenId, session.WorkerName, Context));

        var roots = await db.DestinationSites.AsNoTracking().Where(d => d.Kind == DestinationKind.LocalStorage).ToListAsync();
        logger.LogInformation("Worker {Worker} of tenant {TenantId} connected to {Node} with {Slots} slot(s)", session.WorkerName, tenantId, node.Name, session.Slots);
        await scheduler.NudgeDispatcherAsync();
        return new WorkerWelcome(session.Id, tenant.Name, ReplicationRates.BytesPerSecond(tenant.BandwidthCapMbps), [.. roots.Select(r => r.TenantRoot(tenantId)!)]);
    }

    public async Task SnapshotTaken(SnapshotReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        Apply(() => task.RecordSnapshot(report.SnapshotId, report.ChangeIds));
        await db.SaveChangesAsync();
    }

    public async Task DiskPlanned(DiskPlannedReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        Apply(() => task.RecordPlanned(report.DiskKey, report.BytesTotal));
        await db.SaveChangesAsync();
    }

    /// <summary>Several a second: not stored (checkpoints are), only passed on to whoever watches the plan.</summary>
    public async Task Progress(ProgressReport report)
    {
        var session = Session();
        var owner = connections.OwnerOf(report.TaskId);
        if (owner is null || owner.SessionId != session.SessionId)
        {
            var task = await OwnTaskAsync(report.TaskId);
            owner = new WorkerConnections.CopyOwner(session.SessionId, session.TenantId, task.PlanId, task.VmReplicationId, task.Kind);
            connections.Own(report.TaskId, owner);
        }

        foreach (var observer in observers)
        {
            await observer.CopyProgressAsync(owner.TenantId, owner.PlanId, owner.VmReplicationId, report.TaskId, owner.Kind, report);
        }
    }

    public async Task Checkpoint(CheckpointReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        Apply(() => task.RecordCheckpoint(report.DiskKey, report.CopyPlanId, report.Offset, report.BytesDone));
        await db.SaveChangesAsync();
    }

    public async Task DiskDone(DiskDoneReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        Apply(() =>
        {
            task.RecordDiskDone(report.DiskKey, report.BytesTotal, report.BytesWritten);
            if (task.Kind == ReplicationTaskKind.SeedIngest && report.SeedChunks > 0)
            {
                task.RecordSeedChunks(report.SeedChunks);
            }
        });
        await db.SaveChangesAsync();
    }

    /// <summary>The copy is on the destination: the VM now equals the copy's snapshot, and its next cycle starts from it.</summary>
    public async Task Completed(CompletedReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        var vm = await db.VmReplications.SingleAsync(v => v.Id == task.VmReplicationId);
        var now = clock.GetUtcNow();
        Apply(() =>
        {
            task.Complete(now);
            var written = task.Disks.ToDictionary(d => d.DiskKey, d => d.BytesWritten);
            switch (task.Kind)
            {
                case ReplicationTaskKind.SeedLoad:
                    // On the devices, not at the destination yet: the baseline is done when they are ingested.
                    vm.RecordSeedLoaded(task.SnapshotId!, task.SnapshotChangeIds, now);
                    break;
                case ReplicationTaskKind.SeedIngest:
                    vm.CompleteSeedIngest(written, TimeSpan.FromSeconds(report.Seconds), now);
                    break;
                default:
                    vm.CompleteCopy(task.SnapshotId!, task.SnapshotChangeIds, written, TimeSpan.FromSeconds(report.Seconds), now);
                    break;
            }
        });
        if (task.IsSeed)
        {
            await seedRuns.CopyCompletedAsync(task);
        }

        await db.SaveChangesAsync();
        connections.Forget(task.Id);
        logger.LogInformation("{Kind} copy of {Vm} completed in {Seconds:F1} s", task.Kind, vm.VmName, report.Seconds);
        await ChangedAsync(task);
    }

    /// <summary>A failed attempt: queued again (resuming from its checkpoints) unless retrying cannot help or attempts ran out.</summary>
    public async Task Failed(FailedReport report)
    {
        var task = await OwnTaskAsync(report.TaskId);
        var vm = await db.VmReplications.SingleAsync(v => v.Id == task.VmReplicationId);
        var message = Redact(report.Message, task);
        var now = clock.GetUtcNow();
        if (report.Retryable)
        {
            task.Release(message, now, countsAsFailure: true);
        }
        else
        {
            task.Fail(message, now);
        }

        vm.RecordError(task.State == ReplicationTaskState.Failed ? message : $"{message} (trying again)");
        await seedRuns.CopyFailedAsync(task, message);
        await db.SaveChangesAsync();
        connections.Forget(task.Id);
        logger.LogWarning("{Kind} copy of {Vm} failed (attempt {Attempt}): {Message}", task.Kind, vm.VmName, task.Attempts, message);
        await ChangedAsync(task);
    }

    /// <summary>The worker is gone: its running copies go back to the queue (not counted as failures) and resume elsewhere.</summary>
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var connected = connections.Find(Context.ConnectionId);
        connections.Remove(Context.ConnectionId);
        if (connected is null)
        {
            return;
        }

        scope.UseTenant(connected.TenantId, "worker");
        var released = await WorkerSessions.CloseAsync(db, connected.SessionId, clock.GetUtcNow());
        logger.LogInformation("Worker {Worker} of tenant {TenantId} disconnected; {Copies} running cop(ies) queued again", connected.WorkerName, connected.TenantId, released.Count);
        await scheduler.NudgeDispatcherAsync();
        foreach (var plan in released.Select(t => t.PlanId).Distinct())
        {
            foreach (var observer in observers)
            {
                await observer.PlanChangedAsync(connected.TenantId, plan);
            }
        }
    }

    private WorkerConnections.Connected Session() =>
        connections.Find(Context.ConnectionId) ?? throw new HubException("Say Hello first.");

    /// <summary>The one check every report passes: the copy is this worker's tenant's, assigned to this session, and running.</summary>
    private async Task<ReplicationTask> OwnTaskAsync(Guid taskId)
    {
        var session = Session();
        scope.UseTenant(session.TenantId, "worker");
        var task = await db.ReplicationTasks.SingleOrDefaultAsync(t => t.Id == taskId);
        if (task is null || task.WorkerSessionId != session.SessionId || task.State != ReplicationTaskState.Running)
        {
            throw new HubException("That copy is not assigned to this worker.");
        }

        return task;
    }

    /// <summary>
    /// A worker's failure as users may read it: the destination's paths and addresses (the provider's infrastructure)
    /// become "the destination disk KEY", a seed device's folder "seed device N", and it is cut to a length the page can show.
    /// </summary>
    internal static string Redact(string message, ReplicationTask task)
    {
        foreach (var disk in task.Disks.OrderByDescending(d => d.Target.Length))
        {
            message = message.Replace(disk.Target, $"the destination disk {disk.DiskKey}", StringComparison.Ordinal);
        }

        // Where a seed device is mounted (at the customer's, or at the provider's) is named by its number only.
        foreach (var (folder, index) in task.SeedFolders.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Length))
        {
            message = message.Replace(folder, $"seed device {index + 1}", StringComparison.Ordinal);
        }

        return message.Length > 900 ? message[..900] : message;
    }

    private static void Apply(Action change)
    {
        try
        {
            change();
        }
        catch (DomainException ex)
        {
            throw new HubException(ex.Message);
        }
    }

    private async Task ChangedAsync(ReplicationTask task)
    {
        await scheduler.NudgeDispatcherAsync();
        foreach (var observer in observers)
        {
            await observer.PlanChangedAsync(task.TenantId, task.PlanId);
        }
    }
}
