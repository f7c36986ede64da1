using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Notifications;
using Quartz;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>
/// What time does to windows, across every tenant: an approved window whose start has come starts its plan's cutover, or
/// is marked Missed (with everyone told) when the plan is not ready or the window has already ended; approved windows
/// remind their tenant admins before they start; open windows whose plan's baselines will not be done by their start are
/// flagged at risk (and the flag is cleared once they are).
/// </summary>
public sealed class WindowClock(
    TenantScope scope, PortalDbContext db, PlanRunService plans, INotifier notifier, IOptions<WindowOptions> options, ILogger<WindowClock> logger)
{
    public async Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        scope.UseSystem("window clock");
        var open = await db.MaintenanceWindows
            .Where(w => w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved || w.Status == MaintenanceWindowStatus.InProgress)
            .ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return;
        }

        var planIds = open.Select(w => w.PlanId).Distinct().ToList();
        var planList = await db.MigrationPlans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToListAsync(cancellationToken);
        var planById = planList.ToDictionary(p => p.Id);
        var vmList = await db.VmReplications.AsNoTracking().Where(v => planIds.Contains(v.PlanId)).ToListAsync(cancellationToken);
        var vmsByPlan = vmList.ToLookup(v => v.PlanId);
        var tenantNames = await db.Tenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);

        // One save per window: a window a tenant or staff changed since it was read here is left as they made it
        // (its row version refuses this save), and the others go on.
        foreach (var window in open.OrderBy(w => w.StartsAt))
        {
            if (!planById.TryGetValue(window.PlanId, out var plan))
            {
                continue;
            }

            try
            {
                await TickAsync(window, plan, vmsByPlan[plan.Id].ToList(), tenantNames.GetValueOrDefault(window.TenantId, ""), now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.DiscardPendingChanges();
                logger.LogInformation("Window {WindowId} changed while the clock looked at it; it is looked at again at the next turn.", window.Id);
            }
        }
    }

    private async Task TickAsync(MaintenanceWindow window, MigrationPlan plan, List<VmReplication> vms, string tenantName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (window.Status == MaintenanceWindowStatus.InProgress)
        {
            CloseAfterItsCutover(window, plan, now);
            return;
        }

        if (window.Status == MaintenanceWindowStatus.Requested && window.StartsAt <= now)
        {
            // Nobody decided in time: the request lapses (it would otherwise wait in the queue for ever) and the tenant is told.
            window.Expire(now);
            await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowMissed, z => WindowTexts.Expired(plan.Name, window, z), cancellationToken);
            return;
        }

        FlagRisk(window, plan, vms, now);
        if (window.Status != MaintenanceWindowStatus.Approved)
        {
            return;
        }

        if (window.StartsAt <= now)
        {
            await StartOrMissAsync(window, plan, tenantName, now, cancellationToken);
        }
        else if (window.TakeDueReminder(options.Value.Reminders, now) is not null)
        {
            await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowReminder, z => WindowTexts.Reminder(plan.Name, window, now, z), cancellationToken);
        }
    }

    /// <summary>
    /// A window stays in progress while its plan cuts over; one whose plan has left the cutover without closing it (the
    /// cutover ended in an unforeseen error, or a node died at the wrong moment) is closed here from the plan's outcome.
    /// </summary>
    private void CloseAfterItsCutover(MaintenanceWindow window, MigrationPlan plan, DateTimeOffset now)
    {
        if (plan.Status == PlanStatus.CuttingOver)
        {
            return;
        }

        if (plan.Status == PlanStatus.Completed)
        {
            window.Complete(now);
        }
        else
        {
            var reason = string.IsNullOrWhiteSpace(plan.StatusReason) ? $"The cutover ended with the plan {plan.Status}." : plan.StatusReason;
            window.Fail(reason.Length > MaintenanceWindow.MaxReasonLength ? reason[..MaintenanceWindow.MaxReasonLength] : reason, now);
        }

        logger.LogWarning("Window {WindowId} was still in progress after the cutover of plan {PlanId} ended ({Status}); closed.", window.Id, plan.Id, plan.Status);
    }

    private async Task StartOrMissAsync(MaintenanceWindow window, MigrationPlan plan, string tenantName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string reason;
        if (window.EndsAt <= now)
        {
            reason = "The window ended before its cutover could start.";
        }
        else
        {
            // The window begins in the same save as the plan's cutover: a cutover never runs without its window in progress.
            window.Begin(now);
            var started = await plans.StartWindowCutoverAsync(plan.Id, $"the maintenance window {WindowTexts.When(window.StartsAt, TimeZoneInfo.Utc)}", cancellationToken);
            if (started.Succeeded)
            {
                logger.LogInformation("Window {WindowId} started the cutover of plan {PlanId}", window.Id, plan.Id);
                return;
            }

            // Read it again as it is: the refused start left the window approved, unless someone changed it meanwhile.
            // Only this window is let go: the clock's other windows stay tracked for their own saves.
            var windowId = window.Id;
            db.Entry(window).State = EntityState.Detached;
            if (await db.MaintenanceWindows.SingleOrDefaultAsync(w => w.Id == windowId, cancellationToken) is not { Status: MaintenanceWindowStatus.Approved } current)
            {
                return;
            }

            window = current;

            reason = $"The plan was not ready for its cutover: {started.Message}";
        }

        window.Miss(reason.Length > MaintenanceWindow.MaxReasonLength ? reason[..MaintenanceWindow.MaxReasonLength] : reason, now);
        logger.LogWarning("Window {WindowId} of plan {PlanId} missed: {Reason}", window.Id, plan.Id, reason);
        await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowMissed, z => WindowTexts.Missed(plan.Name, window, z), cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.WindowMissed, z => WindowTexts.MissedForStaff(tenantName, plan.Name, window, z), cancellationToken);
    }

    /// <summary>The baselines are done when every VM of the plan has one; what remains is the forecast less the time spent on it.</summary>
    private static void FlagRisk(MaintenanceWindow window, MigrationPlan plan, List<VmReplication> vms, DateTimeOffset now)
    {
        var done = vms.Count > 0 && vms.All(v => v.BaselineCompletedAt is not null);
        TimeSpan? remaining = plan.ForecastInitialCopy is not { } forecast
            ? null
            : plan.StartedAt is { } started ? (forecast - (now - started) > TimeSpan.Zero ? forecast - (now - started) : TimeSpan.FromMinutes(1)) : forecast;
        window.FlagRisk(BookingRules.AtRisk(done, remaining, window.StartsAt, now));
    }
}

/// <summary>Runs the <see cref="WindowClock"/> every few seconds (Windows:CheckSeconds).</summary>
[DisallowConcurrentExecution]
public sealed class WindowClockJob(WindowClock windows, TimeProvider clock, ILogger<WindowClockJob> logger) : IJob
{
    public static readonly JobKey Key = new("window-clock", "windows");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await windows.TickAsync(clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The window clock failed; it runs again at its next turn.");
        }
    }
}
