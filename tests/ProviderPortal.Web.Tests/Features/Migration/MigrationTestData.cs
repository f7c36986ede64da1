using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>Lab tenants, the test destination, plans made and started through the portal's services, worker tokens: on any portal under test.</summary>
public static class MigrationTestData
{
    /// <summary>Where the test destination keeps disks: the portal's data folder.</summary>
    public static string DestinationRoot(this PortalFactory portal) => Path.Combine(portal.DataDirectory, "destinations");

    /// <summary>A tenant with a lab environment whose inventory has synced.</summary>
    public static async Task<(TestTenant Tenant, Guid EnvironmentId)> CreateLabTenantAsync(this PortalFactory portal, string slug)
    {
        var tenant = await portal.CreateTenantAsync(slug);
        var (result, id) = await portal.AsTenantAsync(tenant, s => s.GetRequiredService<EnvironmentService>().RegisterAsync(new EnvironmentDraft { Name = $"{slug} lab", Kind = EnvironmentKind.Lab }, saveUnverified: false));
        Assert.True(result.Succeeded, result.Message);
        await MigrationPortal.WaitForAsync(() => portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AnyAsync(e => e.Id == id && e.SyncState == SyncState.Succeeded)), TimeSpan.FromSeconds(30), "the lab's inventory to sync");
        return (tenant, id!.Value);
    }

    /// <summary>Runs work as the tenant's administrator, signed in (the plan actions are theirs: PlanPermissions).</summary>
    public static Task<T> AsTenantAsync<T>(this PortalFactory portal, TestTenant tenant, Func<IServiceProvider, Task<T>> work) =>
        portal.AsUserAsync(TestUsers.AdminOf(tenant), work);

    /// <summary>The provider's local-storage destination (one per portal).</summary>
    public static Task<Guid> DestinationAsync(this PortalFactory portal) => portal.AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var existing = await db.DestinationSites.SingleOrDefaultAsync(d => d.Name == "Test storage");
        if (existing is not null)
        {
            return existing.Id;
        }

        var site = DestinationSite.Create(new DestinationDetails("Test storage", DestinationKind.LocalStorage, portal.DestinationRoot(), ["prod"]), DateTimeOffset.UtcNow);
        db.DestinationSites.Add(site);
        await db.SaveChangesAsync();
        return site.Id;
    });

    /// <summary>A plan of the lab VMs given, in that boot order, on the test destination, started (over the network: its baselines queued).</summary>
    public static async Task<Guid> StartPlanAsync(this PortalFactory portal, TestTenant tenant, Guid environmentId, string name, IReadOnlyList<string> vmIds, int? throttleMbps = null, bool startOnDestination = false, bool removeSource = false, PlanMethod method = PlanMethod.Network)
    {
        var destination = await portal.DestinationAsync();
        var planId = await portal.AsTenantAsync(tenant, async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var vms = vmIds.Select((id, i) => new PlanVm(id, id, i + 1)).ToList();
            var plan = MigrationPlan.Create(environmentId, new PlanDetails(name, vms, method, startOnDestination, removeSource, 15, throttleMbps), DateTimeOffset.UtcNow);
            plan.SetDestination(destination, []);
            db.MigrationPlans.Add(plan);
            await db.SaveChangesAsync();
            return plan.Id;
        });
        var started = await portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().StartAsync(planId));
        Assert.True(started.Succeeded, started.Message);
        return planId;
    }

    /// <summary>Issues a (remote) worker token for the tenant; returns its secret.</summary>
    public static Task<string> IssueTokenAsync(this PortalFactory portal, TestTenant tenant, string name = "test worker") => portal.AsTenantAsync(tenant, async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var (token, secret) = WorkerToken.Issue(tenant.Id, name, "test", isLocal: false, DateTimeOffset.UtcNow);
        db.WorkerTokens.Add(token);
        await db.SaveChangesAsync();
        return secret;
    });

    public static Task<(MigrationPlan Plan, List<VmReplication> Vms, List<ReplicationTask> Tasks)> ReadPlanAsync(this PortalFactory portal, Guid planId) => portal.AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        return (
            await db.MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == planId),
            await db.VmReplications.AsNoTracking().Where(v => v.PlanId == planId).OrderBy(v => v.BootOrder).ToListAsync(),
            await db.ReplicationTasks.AsNoTracking().Where(t => t.PlanId == planId).OrderBy(t => t.QueuedAt).ToListAsync());
    });
}
