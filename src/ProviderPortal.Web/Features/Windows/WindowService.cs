using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>
/// Cutover windows: tenant users book, move and cancel their plans' windows (times entered in the tenant's time zone) and
/// take a time staff proposed; provider staff approve, reject or propose another time. Every booking is checked against
/// the provider's rules (<see cref="BookingRules"/>) with the capacity held by every tenant's windows; another tenant's
/// windows count only as taken hours and are never shown to a tenant. Nothing changes when anything is refused.
/// </summary>
public sealed class WindowService(
    PortalDbContext db, ITenantContext scope, UserPermissions permissions, INotifier notifier, IOptions<WindowOptions> options, TimeProvider clock)
{
    private BookingPolicy Policy => options.Value.ToPolicy();

    public int MaxConcurrentCutoversPerHour => options.Value.MaxConcurrentCutoversPerHour;

    public TimeSpan LeadTime => Policy.LeadTime;

    /// <summary>The tenant's windows (staff: every tenant's), newest start first.</summary>
    public async Task<IReadOnlyList<WindowRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        RequireSignedIn();
        var windows = await db.MaintenanceWindows.AsNoTracking().ToListAsync(cancellationToken);
        return (await RowsAsync(windows, cancellationToken)).OrderByDescending(w => w.StartsAt).ToList();
    }

    /// <summary>The plan's current window: the open one, else the latest; null when it has none (or the plan is not the user's).</summary>
    public async Task<WindowRow?> ForPlanAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireSignedIn();
        var windows = await db.MaintenanceWindows.AsNoTracking().Where(w => w.PlanId == planId).ToListAsync(cancellationToken);
        var current = windows
            .OrderByDescending(w => w.Status is MaintenanceWindowStatus.Requested or MaintenanceWindowStatus.Approved or MaintenanceWindowStatus.InProgress)
            .ThenByDescending(w => w.RequestedAt)
            .FirstOrDefault();
        return current is null ? null : (await RowsAsync([current], cancellationToken)).Single();
    }

    /// <summary>Staff's approval queue: requested windows of every tenant, soonest first.</summary>
    public async Task<IReadOnlyList<WindowRow>> QueueAsync(CancellationToken cancellationToken = default)
    {
        await RequireStaffAsync();
        var windows = await db.MaintenanceWindows.AsNoTracking().Where(w => w.Status == MaintenanceWindowStatus.Requested).ToListAsync(cancellationToken);
        return (await RowsAsync(windows, cancellationToken)).OrderBy(w => w.StartsAt).ToList();
    }

    /// <summary>
    /// The calendar from <paramref name="from"/> to <paramref name="to"/>: the windows the user may see (its tenant's; staff
    /// every tenant's) and the provider's free capacity per hour, counted over every tenant's requested and approved windows.
    /// </summary>
    public async Task<WindowCalendarData> CalendarAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        RequireSignedIn();
        var visible = await db.MaintenanceWindows.AsNoTracking().Where(w => w.StartsAt < to && w.EndsAt > from).ToListAsync(cancellationToken);
        var held = await HeldAsync(from, to, null, cancellationToken);
        var policy = Policy;
        var hours = BookingRules.FreeCapacity(from, to, held, policy)
            .Select(h => new CapacityHour(h.Hour, h.Free, policy.Blackouts.Any(b => b.StartsAt < h.Hour.AddHours(1) && h.Hour < b.EndsAt)))
            .ToList();
        return new WindowCalendarData(await RowsAsync(visible, cancellationToken), hours, policy.MaxConcurrentCutoversPerHour, clock.GetUtcNow() + policy.LeadTime);
    }

    /// <summary>The tenant's plans that can take a window: not finished, not cutting over, without an open window.</summary>
    public async Task<IReadOnlyList<BookablePlan>> BookablePlansAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var open = await db.MaintenanceWindows.AsNoTracking().Where(w => w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved || w.Status == MaintenanceWindowStatus.InProgress)
            .Select(w => w.PlanId).ToListAsync(cancellationToken);
        var plans = await db.MigrationPlans.AsNoTracking().ToListAsync(cancellationToken);
        var policy = Policy;
        return plans.Where(p => CanTakeWindow(p.Status) && !open.Contains(p.Id))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => new BookablePlan(p.Id, p.Name, BookingRules.Needed(p.ForecastDowntime, policy), p.ForecastDowntime))
            .ToList();
    }

    /// <summary>Books a window for a plan, starting at <paramref name="localStart"/> in the tenant's time zone.</summary>
    public async Task<ServiceResult> RequestAsync(Guid planId, DateTime localStart, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return ServiceResult.Fail("Choose one of your plans.", "Plan");
        }

        if (!CanTakeWindow(plan.Status))
        {
            return ServiceResult.Fail($"The plan {plan.Name} is {plan.Status.ToString().ToLowerInvariant()}: it cannot take a cutover window.", "Plan");
        }

        if (await db.MaintenanceWindows.AnyAsync(w => w.PlanId == planId && (w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved || w.Status == MaintenanceWindowStatus.InProgress), cancellationToken))
        {
            return ServiceResult.Fail($"The plan {plan.Name} already has a window; move that one instead.", "Plan");
        }

        var (zone, startsAt, endsAt, refusedTime) = await BookableAsync(plan, localStart, duration, null, cancellationToken);
        if (refusedTime is not null)
        {
            return refusedTime;
        }

        var window = MaintenanceWindow.Request(planId, startsAt, endsAt, zone.Id, scope.ActorName, clock.GetUtcNow());
        db.MaintenanceWindows.Add(window);
        var tenantName = await TenantNameAsync(plan.TenantId, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.WindowRequested, z => WindowTexts.RequestedForStaff(tenantName, plan.Name, window, z), cancellationToken);
        await notifier.NotifyTenantAdminsAsync(plan.TenantId, NotificationKind.WindowRequested, z => WindowTexts.Requested(plan.Name, window, scope.ActorName, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Moves a requested or approved window (an approved one then waits for approval again).</summary>
    public async Task<ServiceResult> RescheduleAsync(Guid windowId, DateTime localStart, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        var (_, startsAt, endsAt, refusedTime) = await BookableAsync(plan, localStart, duration, window.Id, cancellationToken);
        if (refusedTime is not null)
        {
            return refusedTime;
        }

        var wasApproved = window.Status == MaintenanceWindowStatus.Approved;
        if (Attempt(() => window.Reschedule(startsAt, endsAt, scope.ActorName, clock.GetUtcNow())) is { } refused)
        {
            return refused;
        }

        var tenantName = await TenantNameAsync(window.TenantId, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.WindowRequested, z => WindowTexts.RequestedForStaff(tenantName, plan.Name, window, z), cancellationToken);
        await notifier.NotifyTenantAdminsAsync(
            window.TenantId,
            NotificationKind.WindowRequested,
            z => wasApproved ? WindowTexts.Moved(plan.Name, window, scope.ActorName, z) : WindowTexts.Requested(plan.Name, window, scope.ActorName, z),
            cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Takes the time staff proposed; the window stays requested at that time.</summary>
    public async Task<ServiceResult> AcceptProposalAsync(Guid windowId, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        if (window.ProposedStartsAt is { } start && window.ProposedEndsAt is { } end)
        {
            var errors = BookingRules.Check(start, end, plan.ForecastDowntime, await HeldAsync(start, end, window.Id, cancellationToken), Policy, clock.GetUtcNow());
            if (errors.Count > 0)
            {
                return ServiceResult.Fail("The proposed time can no longer be booked: " + string.Join(" ", errors.Values));
            }
        }

        if (Attempt(window.AcceptProposal) is { } refused)
        {
            return refused;
        }

        var tenantName = await TenantNameAsync(window.TenantId, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.WindowRequested, z => WindowTexts.RequestedForStaff(tenantName, plan.Name, window, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Gives a requested or approved window up before it starts.</summary>
    public async Task<ServiceResult> CancelAsync(Guid windowId, string reason, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        if (Attempt(() => window.Cancel(reason, clock.GetUtcNow())) is { } refused)
        {
            return refused;
        }

        await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowCancelled, z => WindowTexts.Cancelled(plan.Name, window, scope.ActorName, z), cancellationToken);
        var tenantName = await TenantNameAsync(window.TenantId, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.WindowCancelled, z => WindowTexts.CancelledForStaff(tenantName, plan.Name, window, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Staff: approves a requested window; it starts the plan's cutover at its start.</summary>
    public async Task<ServiceResult> ApproveAsync(Guid windowId, CancellationToken cancellationToken = default)
    {
        await RequireStaffAsync();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        if (window.Status == MaintenanceWindowStatus.Requested && window.StartsAt <= clock.GetUtcNow())
        {
            return ServiceResult.Fail("This window's start has passed; propose another time instead.");
        }

        if (Attempt(() => window.Approve(scope.ActorName, clock.GetUtcNow())) is { } refused)
        {
            return refused;
        }

        await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowApproved, z => WindowTexts.Approved(plan.Name, window, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Staff: rejects a requested window with a reason the tenant reads.</summary>
    public async Task<ServiceResult> RejectAsync(Guid windowId, string reason, CancellationToken cancellationToken = default)
    {
        await RequireStaffAsync();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        if (Attempt(() => window.Reject(scope.ActorName, reason, clock.GetUtcNow())) is { } refused)
        {
            return refused;
        }

        await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowRejected, z => WindowTexts.Rejected(plan.Name, window, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>Staff: proposes another time (entered in the tenant's time zone) for a requested window.</summary>
    public async Task<ServiceResult> ProposeAsync(Guid windowId, DateTime localStart, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await RequireStaffAsync();
        var (window, plan) = await LoadAsync(windowId, cancellationToken);
        if (window is null || plan is null)
        {
            return NotFound();
        }

        // Staff read the request in the window's own zone (the one it was booked in), and propose in it.
        var windowZone = TimeZoneInfo.TryFindSystemTimeZoneById(window.TimeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        var (_, startsAt, endsAt, refusedTime) = await BookableAsync(plan, localStart, duration, window.Id, cancellationToken, windowZone);
        if (refusedTime is not null)
        {
            return refusedTime;
        }

        if (Attempt(() => window.Propose(startsAt, endsAt, scope.ActorName, clock.GetUtcNow())) is { } refused)
        {
            return refused;
        }

        await notifier.NotifyTenantAdminsAsync(window.TenantId, NotificationKind.WindowProposed, z => WindowTexts.Proposed(plan.Name, window, z), cancellationToken);
        return await SaveAsync(cancellationToken);
    }

    /// <summary>The time zone the tenant's users book in (staff: UTC, they pick a window's own zone where it matters).</summary>
    public async Task<TimeZoneInfo> ZoneOfAsync(Guid tenantId, CancellationToken cancellationToken = default) => await TenantZoneAsync(tenantId, cancellationToken);

    internal static bool CanTakeWindow(PlanStatus status) =>
        status is PlanStatus.Draft or PlanStatus.Replicating or PlanStatus.Paused or PlanStatus.RolledBack;

    /// <summary>
    /// A local wall-clock time of a zone in UTC; a message when that time does not exist there (the clocks jump over it).
    /// An ambiguous time (the clocks go back) is taken as its first occurrence.
    /// </summary>
    internal static string? ToUtc(DateTime local, TimeZoneInfo zone, out DateTimeOffset utc)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (unspecified.Year is < 2000 or > 9998)
        {
            // Refused before any arithmetic: the zone's offset and the window's length would carry 9999-12-31 past the calendar.
            utc = default;
            return "Choose a day between today and the end of the year 9998.";
        }

        if (zone.IsInvalidTime(unspecified))
        {
            utc = default;
            return $"{unspecified:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: the clocks change then. Choose another time.";
        }

        var offset = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified).Max() : zone.GetUtcOffset(unspecified);
        utc = new DateTimeOffset(unspecified, offset).ToUniversalTime();
        return null;
    }

    /// <summary>
    /// A window for <paramref name="plan"/> from a wall-clock start in its tenant's zone, checked against every booking rule
    /// with the capacity held by every other window (not <paramref name="except"/>); the refusal, by field, when it breaks one.
    /// </summary>
    private async Task<(TimeZoneInfo Zone, DateTimeOffset StartsAt, DateTimeOffset EndsAt, ServiceResult? Refused)> BookableAsync(
        MigrationPlan plan, DateTime localStart, TimeSpan duration, Guid? except, CancellationToken cancellationToken, TimeZoneInfo? zoneOfTheWindow = null)
    {
        var zone = zoneOfTheWindow ?? await TenantZoneAsync(plan.TenantId, cancellationToken);
        if (ToUtc(localStart, zone, out var startsAt) is { } invalid)
        {
            return (zone, default, default, ServiceResult.Fail(invalid, BookingRules.StartsAt));
        }

        if (BookingRules.CheckDuration(duration, plan.ForecastDowntime, Policy) is { } length && (duration <= TimeSpan.Zero || duration > Policy.MaximumDuration))
        {
            // Refused before the end is worked out: 99,999 minutes are not booked as 24 hours, nor years past any date.
            return (zone, startsAt, startsAt, ServiceResult.Fail(length, BookingRules.EndsAt));
        }

        var endsAt = startsAt + duration;
        var errors = BookingRules.Check(startsAt, endsAt, plan.ForecastDowntime, await HeldAsync(startsAt, endsAt, except, cancellationToken), Policy, clock.GetUtcNow());
        return (zone, startsAt, endsAt, errors.Count > 0 ? ServiceResult.Fail(errors) : null);
    }

    /// <summary>Every tenant's windows that hold capacity and overlap the period, as bare intervals (nothing else of them leaves here).</summary>
    private async Task<List<(DateTimeOffset StartsAt, DateTimeOffset EndsAt)>> HeldAsync(DateTimeOffset from, DateTimeOffset to, Guid? except, CancellationToken cancellationToken)
    {
        var intervals = await db.MaintenanceWindows.IgnoreQueryFilters([TenantModel.FilterName]).AsNoTracking()
            .Where(w => (w.Status == MaintenanceWindowStatus.Requested || w.Status == MaintenanceWindowStatus.Approved) && w.Id != except)
            .Where(w => w.StartsAt < to.AddHours(1) && w.EndsAt > from.AddHours(-1))
            .Select(w => new { w.StartsAt, w.EndsAt })
            .ToListAsync(cancellationToken);
        return intervals.Select(w => (w.StartsAt, w.EndsAt)).ToList();
    }

    private async Task<List<WindowRow>> RowsAsync(List<MaintenanceWindow> windows, CancellationToken cancellationToken)
    {
        if (windows.Count == 0)
        {
            return [];
        }

        var planIds = windows.Select(w => w.PlanId).Distinct().ToList();
        var plans = await db.MigrationPlans.AsNoTracking().Where(p => planIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.ForecastDowntime }).ToDictionaryAsync(p => p.Id, cancellationToken);
        var tenantIds = windows.Select(w => w.TenantId).Distinct().ToList();
        var tenants = await db.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var policy = Policy;
        return windows.Select(w =>
        {
            var plan = plans.GetValueOrDefault(w.PlanId);
            return new WindowRow(w.Id, w.TenantId, tenants.GetValueOrDefault(w.TenantId, ""), w.PlanId, plan?.Name ?? "(removed)", w.StartsAt, w.EndsAt, w.TimeZoneId,
                w.Status, w.RequestedBy, w.RequestedAt, w.DecidedBy, w.Reason, w.ProposedStartsAt, w.ProposedEndsAt, w.AtRiskReason,
                BookingRules.Needed(plan?.ForecastDowntime, policy));
        }).ToList();
    }

    private async Task<(MaintenanceWindow? Window, MigrationPlan? Plan)> LoadAsync(Guid windowId, CancellationToken cancellationToken)
    {
        // Read again: this context may live as long as the page (a Blazor circuit) and hold a copy from minutes ago.
        var window = await db.LoadFreshAsync(db.MaintenanceWindows.Where(w => w.Id == windowId), cancellationToken);
        var plan = window is null ? null : await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == window.PlanId, cancellationToken);
        return (window, plan);
    }

    private async Task<TimeZoneInfo> TenantZoneAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var id = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.TimeZoneId).SingleOrDefaultAsync(cancellationToken);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private async Task<string> TenantNameAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";

    private static ServiceResult? Attempt(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }
    }

    /// <summary>
    /// Saves the change, unless someone changed the window since it was read (a tenant cancelling while staff approve,
    /// the clock starting it): then nothing of this change is kept and the user is told to look again.
    /// </summary>
    private async Task<ServiceResult> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return ServiceResult.Ok;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ServiceResult.Fail(Changed);
        }
    }

    /// <summary>What a user reads when the window changed under them.</summary>
    public const string Changed = "Someone else changed this window a moment ago, so nothing was done. Look at it again and decide.";

    private static ServiceResult NotFound() => ServiceResult.Fail("That window does not exist.");

    private void RequireSignedIn()
    {
        if (scope.TenantId is null && !scope.CanSeeAllTenants)
        {
            throw new InvalidOperationException("Windows belong to a tenant; this user has none.");
        }
    }

    private void RequireTenant()
    {
        if (scope.TenantId is null)
        {
            throw new InvalidOperationException("Only a tenant's users book, move or cancel its windows.");
        }
    }

    private async Task RequireStaffAsync()
    {
        if (!scope.CanSeeAllTenants || !await permissions.AllowsAsync(Policies.ProviderStaff))
        {
            throw new InvalidOperationException("Only provider staff decide on windows.");
        }
    }
}
