using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Features.Migration;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>
/// An approved window on the lab, end to end: at its start the window clock starts the plan's cutover (real workers, the
/// lab's running guests), the window ends with the cutover, and the tenant's admin is told the outcome by email: the
/// measured downtime and bytes moved, or the rollback's reason.
/// </summary>
public sealed class WindowCutoverEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly MigrationPortal _portal = new() { LocalWorkers = true, LabWorkload = true };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(TestTenant Tenant, Guid PlanId, MaintenanceWindow Window)> ApprovedWindowAsync(string slug, IReadOnlyList<string> vms)
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync(slug);
        var planId = await _portal.StartPlanAsync(tenant, environment, $"Window {slug}", vms);
        var requested = await _portal.AsUserAsync(TestUsers.MemberOf(tenant), s =>
            s.GetRequiredService<WindowService>().RequestAsync(planId, DateTime.UtcNow.Date.AddDays(4).AddHours(20), TimeSpan.FromHours(2)));
        Assert.True(requested.Succeeded, requested.Message);
        var window = await _portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().SingleAsync(w => w.PlanId == planId));
        var approved = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<WindowService>().ApproveAsync(window.Id));
        Assert.True(approved.Succeeded, approved.Message);
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Vms.All(v => v.BaselineDone), Limit, "the baselines");
        return (tenant, planId, window);
    }

    private Task TickAsync(DateTimeOffset at) => _portal.AsSystemAsync(async s =>
    {
        await s.GetRequiredService<WindowClock>().TickAsync(at);
        return 0;
    });

    private Task<MaintenanceWindow> WindowAsync(Guid id) =>
        _portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().SingleAsync(w => w.Id == id));

    [Fact]
    public async Task ApprovedWindow_AtItsStart_CutsThePlanOver_WindowCompleted_AdminToldDowntimeAndBytes()
    {
        var (tenant, planId, window) = await ApprovedWindowAsync("window-e2e", ["lab-web-01"]);

        await TickAsync(window.StartsAt.AddMinutes(1));
        Assert.Equal(MaintenanceWindowStatus.InProgress, (await WindowAsync(window.Id)).Status);
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Plan.IsFinished || (await _portal.ReadPlanAsync(planId)).Plan.Status == PlanStatus.RolledBack, Limit, "the cutover");

        var (plan, vms, _) = await _portal.ReadPlanAsync(planId);
        Assert.True(plan.Status == PlanStatus.Completed, $"{plan.Status}: {plan.StatusReason}");
        Assert.StartsWith("the maintenance window", plan.CutoverStartedBy);
        Assert.Equal(MaintenanceWindowStatus.Completed, (await WindowAsync(window.Id)).Status);

        var started = await _portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover of Window window-e2e started");
        Assert.Contains("(Europe/Paris)", started.TextBody);
        var completed = await _portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover of Window window-e2e completed");
        Assert.Contains($"Downtime: lab-web-01 ", completed.TextBody);
        Assert.Matches(@"Moved in all: [0-9.]+ (KiB|MiB|GiB)", completed.TextBody);
        Assert.True(vms.Single().Downtime > TimeSpan.Zero);
        Assert.Empty(await _portal.EmailsToAsync(tenant.Member.Email!)); // cutover notices are for the tenant's admins
    }

    [Fact]
    public async Task ApprovedWindow_CutoverFails_WindowFailed_AdminToldTheRollbackReason()
    {
        var (tenant, planId, window) = await ApprovedWindowAsync("window-rollback", ["lab-app-01"]);
        var broken = (await _portal.ReadPlanAsync(planId)).Vms.Single().Disks[0].Target;
        File.Delete(broken);
        Directory.CreateDirectory(broken);

        await TickAsync(window.StartsAt.AddMinutes(1));
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Plan.Status is PlanStatus.RolledBack or PlanStatus.Completed or PlanStatus.Failed, Limit, "the cutover to end");

        Assert.Equal(PlanStatus.RolledBack, (await _portal.ReadPlanAsync(planId)).Plan.Status);
        var failed = await WindowAsync(window.Id);
        Assert.Equal(MaintenanceWindowStatus.Failed, failed.Status);
        Assert.Contains("lab-app-01", failed.Reason);
        var rolledBack = await _portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover of Window window-rollback rolled back");
        Assert.Contains("the source VMs run again", rolledBack.TextBody);
        Assert.Contains("lab-app-01", rolledBack.TextBody);
        Directory.Delete(broken);
    }

    [Fact]
    public async Task CutoverStartedByStaff_BeforeItsApprovedWindow_WindowWithdrawn_NotMissedAtItsStart()
    {
        var (tenant, planId, window) = await ApprovedWindowAsync("window-by-hand", ["lab-db-01"]);

        var started = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, "operator@provider.example"));
        Assert.True(started.Succeeded, started.Message);
        var withdrawn = await WindowAsync(window.Id);
        Assert.Equal(MaintenanceWindowStatus.Cancelled, withdrawn.Status);
        Assert.StartsWith("operator@provider.example started the cutover", withdrawn.Reason);
        Assert.NotNull(await _portal.SingleEmailAsync(tenant.Admin.Email!, "Cutover window withdrawn for Window window-by-hand"));
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Plan.Status is PlanStatus.Completed or PlanStatus.RolledBack, Limit, "the cutover");
        Assert.Equal(PlanStatus.Completed, (await _portal.ReadPlanAsync(planId)).Plan.Status);

        await TickAsync(window.StartsAt.AddMinutes(1));

        Assert.Equal(MaintenanceWindowStatus.Cancelled, (await WindowAsync(window.Id)).Status);
        Assert.DoesNotContain(await _portal.EmailsToAsync(tenant.Admin.Email!), m => m.Subject.Contains("missed", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CutoverByTheTenantsAdmin_InsideItsApprovedWindow_RunsInIt_BeforeIt_Refused()
    {
        var (tenant, planId, window) = await ApprovedWindowAsync("window-tenant", ["lab-web-01"]);

        var early = await _portal.AsUserAsync(TestUsers.AdminOf(tenant), s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, tenant.Admin.Email!));
        Assert.False(early.Succeeded);
        Assert.Contains("the cutover starts by itself then", early.Message);

        // Inside its window (the clock has not begun it yet) the tenant's admin may start it: it runs in that window.
        var clock = _portal.Services.GetRequiredService<TimeProvider>();
        Assert.True(window.StartsAt > clock.GetUtcNow());
        var inWindow = await _portal.AsUserAsync(TestUsers.AdminOf(tenant), async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            await db.MaintenanceWindows.Where(w => w.Id == window.Id).ExecuteUpdateAsync(u => u
                .SetProperty(w => w.StartsAt, clock.GetUtcNow().AddMinutes(-1))
                .SetProperty(w => w.EndsAt, clock.GetUtcNow().AddHours(1)));
            return await s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, tenant.Admin.Email!);
        });
        Assert.True(inWindow.Succeeded, inWindow.Message);
        Assert.Equal(MaintenanceWindowStatus.InProgress, (await WindowAsync(window.Id)).Status);
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Plan.Status is PlanStatus.Completed or PlanStatus.RolledBack, Limit, "the cutover");
        Assert.Equal(MaintenanceWindowStatus.Completed, (await WindowAsync(window.Id)).Status);
    }
}
