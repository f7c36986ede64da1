using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// A plan's baseline by seed device, run by the portal. The tenant names where the delivered devices are mounted and the
/// plan's worker writes every VM's snapshot onto them (one <see cref="ReplicationTaskKind.SeedLoad"/> copy per VM); when
/// the last VM is on them the order is Loaded by itself. Back at the provider, staff name where the devices are mounted
/// and the tenant's worker verifies every chunk and writes the disks into the destination (one
/// <see cref="ReplicationTaskKind.SeedIngest"/> per VM); when the last VM is in, the order is Ingested and the plan's
/// delta cycles send only the changes since the seed snapshot. A device that fails verification sends the order back to
/// Received, with the problem named, and nothing of it is written.
/// </summary>
public sealed class SeedDeviceRuns(
    PortalDbContext db,
    ITenantContext scope,
    UserPermissions permissions,
    INotifier notifier,
    ReplicationScheduler scheduler,
    TimeProvider clock,
    ILogger<SeedDeviceRuns> logger)
{
    public const int MaxFolderLength = 400;

    /// <summary>Tenant: the delivered devices are mounted at <paramref name="folders"/> (one per device) where the plan's worker runs.</summary>
    public async Task<ServiceResult> LoadAsync(Guid orderId, IReadOnlyList<string> folders, CancellationToken cancellationToken = default)
    {
        if (scope.TenantId is null || !await permissions.AllowsAsync(Policies.TenantUser))
        {
            return ServiceResult.Fail(SeedDeviceOrderService.TenantsOnly);
        }

        var order = await db.LoadFreshAsync(db.SeedDeviceOrders.Where(o => o.Id == orderId), cancellationToken);
        if (order is null)
        {
            return ServiceResult.Fail(SeedDeviceOrderService.NotFoundMessage);
        }

        if (order.Status is not (SeedDeviceOrderStatus.Delivered or SeedDeviceOrderStatus.Loading))
        {
            return ServiceResult.Fail($"Devices are loaded once they are delivered; this order is {SeedDeviceOrder.Describe(order.Status).ToLowerInvariant()}.");
        }

        return await QueueAsync(order, ReplicationTaskKind.SeedLoad, folders, o => o.StartLoading(clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>Staff: the returned devices are mounted at <paramref name="folders"/> where the tenant's worker runs at the provider's.</summary>
    public async Task<ServiceResult> IngestAsync(Guid orderId, IReadOnlyList<string> folders, CancellationToken cancellationToken = default)
    {
        if (!scope.CanSeeAllTenants || !await permissions.AllowsAsync(Policies.ProviderStaff))
        {
            return ServiceResult.Fail(SeedDeviceOrderService.StaffOnly);
        }

        var order = await db.LoadFreshAsync(db.SeedDeviceOrders.Where(o => o.Id == orderId), cancellationToken);
        if (order is null)
        {
            return ServiceResult.Fail(SeedDeviceOrderService.NotFoundMessage);
        }

        if (order.Status != SeedDeviceOrderStatus.Received)
        {
            return ServiceResult.Fail($"Devices are ingested once they are back at the provider's; this order is {SeedDeviceOrder.Describe(order.Status).ToLowerInvariant()}.");
        }

        return await QueueAsync(order, ReplicationTaskKind.SeedIngest, folders, o => o.StartIngest(clock.GetUtcNow()), cancellationToken);
    }

    private async Task<ServiceResult> QueueAsync(SeedDeviceOrder order, ReplicationTaskKind kind, IReadOnlyList<string> folders, Action<SeedDeviceOrder> step, CancellationToken cancellationToken)
    {
        var named = folders.Select(f => f?.Trim() ?? "").ToList();
        if (FoldersProblem(named, order.DeviceCount) is { } problem)
        {
            return ServiceResult.Fail(problem, "Folders");
        }

        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == order.PlanId, cancellationToken);
        if (plan is null || plan.Status is not (PlanStatus.Replicating or PlanStatus.Paused))
        {
            return ServiceResult.Fail(kind == ReplicationTaskKind.SeedLoad
                ? "Start the plan first: its worker writes the devices, and nothing goes over the network until they are ingested."
                : "The plan no longer replicates, so there is nothing to ingest the devices into.");
        }

        var vms = await db.VmReplications.Where(v => v.PlanId == plan.Id).OrderBy(v => v.BootOrder).ToListAsync(cancellationToken);
        if (await db.ReplicationTasks.AnyAsync(t => t.PlanId == plan.Id && (t.Kind == ReplicationTaskKind.SeedLoad || t.Kind == ReplicationTaskKind.SeedIngest)
            && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running), cancellationToken))
        {
            return ServiceResult.Fail("The plan's devices are being loaded or ingested already; wait for that to finish.");
        }

        // Loading again (after a failed load) writes only the VMs not on the devices yet: the others keep their seed snapshot.
        var due = kind == ReplicationTaskKind.SeedLoad
            ? vms.Where(v => !v.BaselineDone && v.SeedSnapshotId is null).ToList()
            : vms.Where(v => !v.BaselineDone && v.SeedSnapshotId is not null).ToList();
        if (due.Count == 0)
        {
            return ServiceResult.Fail(kind == ReplicationTaskKind.SeedLoad
                ? "Every VM of the plan is on the devices already, or has its baseline at the destination; there is nothing to load."
                : "No VM of the plan waits for these devices: none was loaded onto them by the plan's worker.");
        }

        var now = clock.GetUtcNow();
        try
        {
            if (!(kind == ReplicationTaskKind.SeedLoad && order.Status == SeedDeviceOrderStatus.Loading))
            {
                step(order);
            }

            foreach (var vm in due)
            {
                if (vm.State == VmReplicationState.Pending)
                {
                    vm.BeginBaseline(now);
                }

                db.ReplicationTasks.Add(ReplicationTask.QueueSeed(vm, kind, order.Id, named, now));
            }
        }
        catch (DomainException ex)
        {
            db.DiscardPendingChanges();
            return ServiceResult.Fail(ex.Message);
        }

        if (kind == ReplicationTaskKind.SeedIngest)
        {
            var planName = plan.Name;
            await notifier.NotifyTenantAdminsAsync(order.TenantId, NotificationKind.DeviceOrderChanged, zone => new NotificationText(
                "Seed devices being ingested",
                $"The ingest of the seed devices of the plan {planName} started on {At(now, zone)}: every chunk is verified before anything is written.",
                SeedDeviceOrderService.TenantLink), cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardPendingChanges();
            return ServiceResult.Fail(SeedDeviceOrderService.Changed);
        }

        await scheduler.NudgeDispatcherAsync(cancellationToken);
        logger.LogInformation("Seed-device order {OrderId}: {Kind} of {Vms} VM(s) queued ({Actor})", order.Id, kind, due.Count, scope.ActorName);
        return ServiceResult.Ok;
    }

    /// <summary>
    /// Called by the worker hub once a seed load or ingest of one VM completed (the task and its VM already updated, not yet
    /// saved): when it was the order's last, the order moves on and everyone concerned is told, in the same save.
    /// </summary>
    public async Task CopyCompletedAsync(ReplicationTask task, CancellationToken cancellationToken = default)
    {
        if (task.SeedOrderId is not { } orderId)
        {
            return;
        }

        var order = await db.SeedDeviceOrders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        var vms = await db.VmReplications.Where(v => v.PlanId == task.PlanId).ToListAsync(cancellationToken);
        var others = await db.ReplicationTasks.AsNoTracking()
            .AnyAsync(t => t.SeedOrderId == orderId && t.Id != task.Id && t.Kind == task.Kind && (t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running), cancellationToken);
        if (order is null || others)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var planName = await PlanNameAsync(task.PlanId, cancellationToken);
        if (task.Kind == ReplicationTaskKind.SeedLoad && order.Status == SeedDeviceOrderStatus.Loading && vms.All(v => v.BaselineDone || v.SeedSnapshotId is not null))
        {
            order.ConfirmLoaded(now);
            await notifier.NotifyTenantAdminsAsync(order.TenantId, NotificationKind.DeviceOrderChanged, zone => new NotificationText(
                "Seed devices loaded",
                $"Every VM of the plan {planName} is on its seed devices ({At(now, zone)}). Detach them and ship them back, then enter the return tracking number on the seed devices page.",
                SeedDeviceOrderService.TenantLink), cancellationToken);
        }
        // Every VM that was on the devices is in (one never loaded onto them does not hold the order back).
        else if (task.Kind == ReplicationTaskKind.SeedIngest && order.Status == SeedDeviceOrderStatus.Ingesting && vms.All(v => v.BaselineDone || v.SeedSnapshotId is null))
        {
            var round = order.Steps.GetValueOrDefault(SeedDeviceOrderStatus.Ingesting);
            var chunks = task.SeedChunks + await db.ReplicationTasks.AsNoTracking()
                .Where(t => t.SeedOrderId == orderId && t.Id != task.Id && t.Kind == ReplicationTaskKind.SeedIngest && t.State == ReplicationTaskState.Succeeded && t.QueuedAt >= round)
                .SumAsync(t => t.SeedChunks, cancellationToken);
            order.FinishIngest(Math.Max(chunks, 1), now);
            await notifier.NotifyTenantAdminsAsync(order.TenantId, NotificationKind.DeviceOrderChanged, zone => new NotificationText(
                "Seed devices ingested",
                $"The seed of the plan {planName} was ingested on {At(now, zone)}: {Plural.Count(chunks, "chunk")} verified. Replication now sends only the changes since the seed.",
                SeedDeviceOrderService.TenantLink), cancellationToken);
            await notifier.NotifyStaffAsync(NotificationKind.DeviceOrderChanged, zone => new NotificationText(
                "Seed ingest finished",
                $"The seed devices of the plan {planName} were ingested ({Plural.Count(chunks, "chunk")} verified); they can be wiped and the order closed.",
                SeedDeviceOrderService.BoardLink), cancellationToken);
        }
    }

    /// <summary>
    /// Called by the worker hub when a seed copy failed for good (not saved yet). A failed ingest sends the order back to
    /// Received with the reason (the other VMs' ingests stop), so staff can fix the device or mount and try again.
    /// </summary>
    public async Task CopyFailedAsync(ReplicationTask task, string message, CancellationToken cancellationToken = default)
    {
        if (task.SeedOrderId is not { } orderId || task.Kind != ReplicationTaskKind.SeedIngest || task.State != ReplicationTaskState.Failed)
        {
            return;
        }

        var order = await db.SeedDeviceOrders.SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || order.Status != SeedDeviceOrderStatus.Ingesting)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var queued = await db.ReplicationTasks
            .Where(t => t.SeedOrderId == orderId && t.Id != task.Id && t.Kind == ReplicationTaskKind.SeedIngest && t.State == ReplicationTaskState.Queued)
            .ToListAsync(cancellationToken);
        foreach (var other in queued)
        {
            other.Cancel(now);
        }

        var reason = message.Length > SeedDeviceOrder.MaxReasonLength ? message[..(SeedDeviceOrder.MaxReasonLength - 1)] + "…" : message;
        order.FailIngest(reason, now);
        var planName = await PlanNameAsync(task.PlanId, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.DeviceOrderChanged, zone => new NotificationText(
            "Seed ingest failed",
            $"The ingest of the seed devices of the plan {planName} failed on {At(now, zone)}: {reason} Nothing of the failed disk was written; fix the device or its mount and ingest again.",
            SeedDeviceOrderService.BoardLink), cancellationToken);
        await notifier.NotifyTenantAdminsAsync(order.TenantId, NotificationKind.DeviceOrderChanged, zone => new NotificationText(
            "Seed ingest failed",
            $"The ingest of the seed devices of the plan {planName} failed on {At(now, zone)}: {reason} The provider will try it again.",
            SeedDeviceOrderService.TenantLink), cancellationToken);
        logger.LogWarning("Seed-device order {OrderId}: ingest failed and the order is back to Received", order.Id);
    }

    /// <summary>A plain problem with the folders named, or null: one absolute path per device, none twice.</summary>
    public static string? FoldersProblem(IReadOnlyList<string> folders, int deviceCount)
    {
        if (folders.Count != deviceCount || folders.Any(string.IsNullOrWhiteSpace))
        {
            return deviceCount == 1
                ? "Enter the folder where the device is mounted."
                : $"Enter the folder where each of the {deviceCount} devices is mounted, one per line, in the order they are numbered.";
        }

        if (folders.Any(f => f.Length > MaxFolderLength || !Path.IsPathFullyQualified(f)))
        {
            return "Each folder must be a full path, such as /mnt/seed1.";
        }

        return folders.Distinct(StringComparer.Ordinal).Count() != folders.Count ? "Each device has its own folder: a folder is named twice." : null;
    }

    private async Task<string> PlanNameAsync(Guid planId, CancellationToken cancellationToken) =>
        await db.MigrationPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken) ?? "(removed)";

    private static string At(DateTimeOffset at, TimeZoneInfo zone) => SeedDeviceOrderService.At(at, zone);
}
