using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Features.Migration;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>
/// Who may cut over, and when, in a real browser on the lab with real workers: a tenant admin books a window, staff
/// approve it; before it the tenant's Start cutover is off and says when the window starts it (the service refuses too);
/// staff open the plan and start it by hand; the window is withdrawn (the admins' calendar event cancelled) and staff are
/// told; a member sees the plan but none of the actions that act on its VMs.
/// </summary>
public sealed class CutoverGovernanceLiveTests(CutoverGovernanceLiveTests.Portal portal) : IClassFixture<CutoverGovernanceLiveTests.Portal>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cutover_BeforeItsApprovedWindow_TenantRefused_StaffStartIt_WindowWithdrawnCalendarCancelledStaffTold()
    {
        var (tenant, environment) = await portal.CreateLabTenantAsync("live-governance");
        var planId = await portal.StartPlanAsync(tenant, environment, "Governed cutover", ["lab-web-01"]);

        // The tenant's admin books next week's Wednesday at 10:00 (Paris) on the calendar; staff approve it.
        var admin = await portal.OpenSignedInAsync(tenant.Admin.Email!, "/windows");
        await admin.ClickAsync("button[data-testid=cal-next], [data-testid=cal-next] button");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Date;
        var wednesday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(9).AddHours(10);
        await admin.ClickAsync($"[data-testid=cal-cell][data-at='{wednesday.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)}']");
        await admin.ClickAsync("[data-testid=book-save]");
        var row = admin.Locator("[data-testid=window-table] tr", new() { HasText = "Governed cutover" });
        await Assertions.Expect(row.Locator("[data-testid=window-status]")).ToHaveTextAsync("Requested");
        var window = await portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().SingleAsync(w => w.PlanId == planId));
        var approved = await portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<WindowService>().ApproveAsync(window.Id));
        Assert.True(approved.Succeeded, approved.Message);
        await MigrationPortal.WaitForAsync(async () => (await portal.ReadPlanAsync(planId)).Vms.All(v => v.BaselineDone), Limit, "the baseline");

        // Before its window the tenant's admin cannot start the cutover: the button is off and says when it starts.
        var day = wednesday.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        await admin.GotoAsync($"{portal.BaseUrl}/plans/{planId}");
        await LivePortal.WaitForCircuitAsync(admin);
        await Assertions.Expect(admin.Locator("[data-testid=plan-cutover]")).ToBeDisabledAsync();
        await Assertions.Expect(admin.Locator("[data-testid=plan-cutover-hint]")).ToContainTextAsync($"approved for {day}");
        var refused = await portal.AsUserAsync(TestUsers.AdminOf(tenant), s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, tenant.Admin.Email!));
        Assert.False(refused.Succeeded);
        Assert.Contains($"approved for {day}", refused.Message);
        Assert.Equal(PlanStatus.Replicating, (await portal.ReadPlanAsync(planId)).Plan.Status);

        // A member follows the plan but has none of the actions that act on its VMs.
        var member = await portal.OpenSignedInAsync(tenant.Member.Email!, $"/plans/{planId}");
        await Assertions.Expect(member.Locator("[data-testid=plan-title]")).ToHaveTextAsync("Governed cutover");
        await Assertions.Expect(member.Locator("[data-testid=plan-actions-note]")).ToContainTextAsync("administrators");
        foreach (var action in new[] { "plan-cutover", "plan-pause", "plan-sync-now", "plan-cancel", "plan-throttle-set" })
        {
            Assert.Equal(0, await member.Locator($"[data-testid={action}]").CountAsync());
        }

        // Staff open the tenant's plan and start its cutover by hand.
        var staff = await portal.OpenSignedInAsync("operator@provider.example", $"/plans/{planId}");
        await Assertions.Expect(staff.Locator("[data-testid=plan-title]")).ToHaveTextAsync("Governed cutover");
        await staff.ClickAsync("[data-testid=plan-cutover]");
        await staff.ClickAsync("[data-testid=plan-confirm-ok]");
        await Assertions.Expect(staff.Locator("[data-testid=plan-status]")).ToHaveTextAsync("Completed", new() { Timeout = (float)Limit.TotalMilliseconds });
        await Assertions.Expect(staff.Locator("[data-testid=plan-window]")).ToContainTextAsync("Cancelled");

        // The window it was booked for is withdrawn, with the reason, and the admins' calendar event is cancelled.
        await admin.GotoAsync($"{portal.BaseUrl}/windows");
        await LivePortal.WaitForCircuitAsync(admin);
        await Assertions.Expect(row.Locator("[data-testid=window-status]")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(row).ToContainTextAsync("operator@provider.example started the cutover");
        var withdrawn = await portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().SingleAsync(w => w.Id == window.Id));
        Assert.Equal(MaintenanceWindowStatus.Cancelled, withdrawn.Status);
        var cancelMail = await portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover window withdrawn for Governed cutover");
        var calendar = Ical.Net.Calendar.Load(cancelMail.AttachmentText!)!;
        var invitation = Ical.Net.Calendar.Load((await portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover window approved for Governed cutover")).AttachmentText!)!;
        Assert.Equal("CANCEL", calendar.Method);
        Assert.Equal(Assert.Single(invitation.Events).Uid, Assert.Single(calendar.Events).Uid);
        Assert.True(Assert.Single(calendar.Events).Sequence > Assert.Single(invitation.Events).Sequence, "the cancellation must replace the invitation (a higher SEQUENCE)");

        // Staff are told that a cutover ran outside its window.
        var told = await portal.SingleEmailAsync("admin@provider.example", "Cutover started by hand");
        Assert.Contains("Governed cutover", told.TextBody);
        Assert.Contains(tenant.Name, told.TextBody);
        Assert.Contains("before its approved window", told.TextBody);
        await staff.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "cutover-by-staff-live.png"), FullPage = true });

        await admin.Context.CloseAsync();
        await member.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }

    /// <summary>The live portal with the lab's worker processes and a quick dispatcher, as a fresh machine runs it.</summary>
    public sealed class Portal : LivePortal
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Workers:Local"] = "true",
            ["Workers:RestartDelaySeconds"] = "0.2",
            ["Environments:Lab:CheckSeconds"] = "1",
            ["Replication:ShutdownTimeoutSeconds"] = "10",
            ["Replication:FinalCopyTimeoutMinutes"] = "2",
        };
    }
}
