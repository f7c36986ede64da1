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
    /// <summary>
    /// The cutover starts. Its window is the one in progress (the clock began it), or else it was started by hand: an approved
    /// window whose time has come is the one it runs in; one whose time has not come is withdrawn (it will not happen then:
    /// the admins' calendar event is cancelled); a window still waiting for approval is given up (it would otherwise hold
    /// capacity and be missed at its start). Staff are told of every cutover started by hand.
    /// </summary>
    public async Task StartedAsync(MigrationPlan plan, string by, CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow();
        var windows = await OpenWindowsAsync(plan.Id, cancellationToken);
        if (windows.Any(w => w.Status == MaintenanceWindowStatus.InProgress))
        {
            await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverStarted, z => WindowTexts.CutoverStarted(plan.Name, plan.Id, by, at, z), cancellationToken);
            return;
        }

        MaintenanceWindow? skipped = null;
        foreach (var window in windows)
        {
            if (window.Status == MaintenanceWindowStatus.Approved && window.StartsAt <= at)
            {
                window.Begin(at);
            }
            else if (window.Status == MaintenanceWindowStatus.Approved)
            {
                window.Cancel($"{by} started the cutover {WindowTexts.When(at, TimeZoneInfo.Utc)}, before this window.", at);
                skipped = window;
                await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.WindowCancelled, z => WindowTexts.WithdrawnByEarlierCutover(plan.Name, window, by, at, z), cancellationToken);
            }
            else if (window.Status == MaintenanceWindowStatus.Requested)
            {
                window.Cancel($"{by} started the cutover before this window was approved.", at);
            }
        }

        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverStarted, z => WindowTexts.CutoverStarted(plan.Name, plan.Id, by, at, z), cancellationToken);
        var tenantName = await db.Tenants.AsNoTracking().Where(t => t.Id == plan.TenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        await notifier.NotifyStaffAsync(NotificationKind.CutoverStarted, z => WindowTexts.CutoverStartedByHandForStaff(tenantName, plan.Name, plan.Id, by, at, skipped, z), cancellationToken);
    }

    /// <summary>
    /// Why the plan's tenant may not start its cutover by hand now, or null: a tenant's cutover runs in a window the provider
    /// approved, so only while that window is open (before it, the window starts the cutover by itself).
    /// </summary>
    public async Task<string?> OutsideWindowAsync(MigrationPlan plan, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var window = (await OpenWindowsAsync(plan.Id, cancellationToken)).OrderBy(w => w.StartsAt).FirstOrDefault();
        if (window is { Status: MaintenanceWindowStatus.Approved } && window.StartsAt <= now && now < window.EndsAt)
        {
            return null;
        }

        var zoneId = await db.Tenants.AsNoTracking().Where(t => t.Id == plan.TenantId).Select(t => t.TimeZoneId).SingleOrDefaultAsync(cancellationToken);
        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return window switch
        {
            null => "A cutover runs in a window the provider approved: book one on Cutover windows, and the cutover starts by itself at its start.",
            { Status: MaintenanceWindowStatus.Requested } =>
                $"The plan's cutover window, {WindowTexts.Span(window.StartsAt, window.EndsAt, zone)}, waits for the provider's approval; once approved, the cutover starts by itself at its start.",
            _ when now < window.StartsAt =>
                $"The plan's cutover window is approved for {WindowTexts.Span(window.StartsAt, window.EndsAt, zone)}: the cutover starts by itself then. To cut over at another time, move the window (the provider approves the new time) or ask the provider's staff.",
            _ => "The plan's cutover window has ended; book another one.",
        };
    }

    /// <summary>Every VM is at the destination: the window completes; the admins read each VM's downtime and the bytes moved.</summary>
    public async Task CompletedAsync(MigrationPlan plan, IReadOnlyList<VmReplication> vms, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        foreach (var window in await InProgressAsync(plan.Id, cancellationToken))
        {
            window.Complete(now);
        }

        var tasks = await db.ReplicationTasks.AsNoTracking().Where(t => t.PlanId == plan.Id && t.State == ReplicationTaskState.Succeeded).ToListAsync(cancellationToken);
        var bytes = tasks.Sum(t => t.Disks.Sum(d => d.BytesWritten));
        var downtimes = vms.Where(v => v.Downtime is not null).Select(v => (v.VmName, v.Downtime!.Value)).ToList();
        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverCompleted, z => WindowTexts.CutoverCompleted(plan.Name, plan.Id, now, downtimes, bytes, z), cancellationToken);
    }

    /// <summary>The cutover rolled back: the window failed with the same reason the admins read.</summary>
    public async Task RolledBackAsync(MigrationPlan plan, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        foreach (var window in await InProgressAsync(plan.Id, cancellationToken))
        {
            window.Fail(reason.Length > MaintenanceWindow.MaxReasonLength ? reason[..MaintenanceWindow.MaxReasonLength] : reason, now);
        }

        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.CutoverRolledBack, z => WindowTexts.CutoverRolledBack(plan.Name, plan.Id, now, reason, z), cancellationToken);
    }

    /// <summary>The plan was given up: its window, if one is still requested or approved, is cancelled too, and staff are told.</summary>
    public async Task PlanCancelledAsync(MigrationPlan plan, CancellationToken cancellationToken = default)
    {
        var windows = (await OpenWindowsAsync(plan.Id, cancellationToken)).Where(w => w.HoldsCapacity).ToList();
        if (windows.Count == 0)
        {
            return;
        }

        var tenantName = await db.Tenants.AsNoTracking().Where(t => t.Id == plan.TenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        foreach (var window in windows)
        {
            var wasApproved = window.Status == MaintenanceWindowStatus.Approved;
            window.Cancel("The plan was cancelled.", clock.GetUtcNow());
            await notifier.NotifyStaffAsync(NotificationKind.WindowCancelled, z => WindowTexts.CancelledForStaff(tenantName, plan.Name, window, z), cancellationToken);
            if (wasApproved)
            {
                // The admins hold the approved window's calendar event: it is cancelled with it.
                await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.WindowCancelled, z => WindowTexts.CancelledWithPlan(plan.Name, window, z), cancellationToken);
            }
        }
    }

    // The state is checked again in memory: a window this context already tracks keeps its changes not yet saved
    // (the clock's Begin, which shares the save with the plan's cutover).
    // Copies read earlier and not changed since are let go, so a page open for minutes does not act on an old state.
    private async Task<List<MaintenanceWindow>> OpenWindowsAsync(Guid planId, CancellationToken cancellationToken)
    {
        foreach (var entry in db.ChangeTracker.Entries<MaintenanceWindow>().Where(e => e.Entity.PlanId == planId && e.State == EntityState.Unchanged).ToList())
        {
            entry.State = EntityState.Detached;
        }

        return (await db.MaintenanceWindows.Where(w => w.PlanId == planId
                && (w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved || w.Status == MaintenanceWindowStatus.InProgress))
            .ToListAsync(cancellationToken))
            .Where(w => w.Status is MaintenanceWindowStatus.Requested or MaintenanceWindowStatus.Approved or MaintenanceWindowStatus.InProgress)
            .ToList();
    }

    private async Task<List<MaintenanceWindow>> InProgressAsync(Guid planId, CancellationToken cancellationToken) =>
        (await OpenWindowsAsync(planId, cancellationToken)).Where(w => w.Status == MaintenanceWindowStatus.InProgress).ToList();
}
