using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Notifications;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>
/// A plan's cutover told to its tenant admins as it starts and ends, and its window (if one started it) closed with it.
/// Each call adds to the caller's context; the caller saves, so the notice and the change it tells of land together.
/// </summary>
public sealed class CutoverNotices(PortalDbContext db, INotifier notifier, TimeProvider clock)
{
    public Task StartedAsync(MigrationPlan plan, string by, CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow();
        return notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverStarted, z => WindowTexts.CutoverStarted(plan.Name, plan.Id, by, at, z), cancellationToken);
    }

    /// <summary>Every VM is at the destination: the window completes; the admins read each VM's downtime and the bytes moved.</summary>
    public async Task CompletedAsync(MigrationPlan plan, IReadOnlyList<VmReplication> vms, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        (await OpenWindowAsync(plan.Id, cancellationToken))?.Complete(now);
        var tasks = await db.ReplicationTasks.AsNoTracking().Where(t => t.PlanId == plan.Id && t.State == ReplicationTaskState.Succeeded).ToListAsync(cancellationToken);
        var bytes = tasks.Sum(t => t.Disks.Sum(d => d.BytesWritten));
        var downtimes = vms.Where(v => v.Downtime is not null).Select(v => (v.VmName, v.Downtime!.Value)).ToList();
        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverCompleted, z => WindowTexts.CutoverCompleted(plan.Name, plan.Id, now, downtimes, bytes, z), cancellationToken);
    }

    /// <summary>The cutover rolled back: the window failed with the same reason the admins read.</summary>
    public async Task RolledBackAsync(MigrationPlan plan, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        (await OpenWindowAsync(plan.Id, cancellationToken))?.Fail(reason.Length > MaintenanceWindow.MaxReasonLength ? reason[..MaintenanceWindow.MaxReasonLength] : reason, now);
        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverRolledBack, z => WindowTexts.CutoverRolledBack(plan.Name, plan.Id, now, reason, z), cancellationToken);
    }

    /// <summary>The plan was given up: its window, if one is still requested or approved, is cancelled too, and staff are told.</summary>
    public async Task PlanCancelledAsync(MigrationPlan plan, CancellationToken cancellationToken = default)
    {
        var window = await db.MaintenanceWindows.SingleOrDefaultAsync(
            w => w.PlanId == plan.Id && (w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved), cancellationToken);
        if (window is null)
        {
            return;
        }

        window.Cancel("The plan was cancelled.", clock.GetUtcNow());
        var tenantName = await db.Tenants.AsNoTracking().Where(t => t.Id == plan.TenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        await notifier.NotifyStaffAsync(NotificationKind.WindowCancelled, z => WindowTexts.CancelledForStaff(tenantName, plan.Name, window, z), cancellationToken);
    }

    private Task<MaintenanceWindow?> OpenWindowAsync(Guid planId, CancellationToken cancellationToken) =>
        db.MaintenanceWindows.SingleOrDefaultAsync(w => w.PlanId == planId && w.Status == MaintenanceWindowStatus.InProgress, cancellationToken);
}
