using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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

/// <summary>
/// The portal on a real Kestrel port (workers connect to it over the network, as they do for real), with lab tenants,
/// a local-storage destination in its data folder, and plans made and driven through the portal's own services.
/// Local worker processes are off unless a test class turns them on.
/// </summary>
public class MigrationPortal : PortalFactory
{
    public MigrationPortal()
    {
        UseKestrel(0);
    }

    /// <summary>The portal's base address, e.g. http://127.0.0.1:40123.</summary>
    public string BaseUrl
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public string DestinationRoot => Path.Combine(DataDirectory, "destinations");

    /// <summary>Start worker processes for tenants with copies waiting (the embedded default); off for tests that connect their own.</summary>
    public bool LocalWorkers { get; init; }

    /// <summary>Run the lab's workload: the running lab VMs write to their disks all the time.</summary>
    public bool LabWorkload { get; init; }

    /// <summary>Every progress report and plan change the portal passed on, as a browser watching would get them.</summary>
    public ProgressLog Progress { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IReplicationObserver>(Progress));
    }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:Local"] = LocalWorkers ? "true" : "false",
        ["Workers:RestartDelaySeconds"] = "0.2",
        ["Environments:Lab:Workload"] = LabWorkload ? "true" : "false",
        ["Environments:Lab:CheckSeconds"] = "1",

        // Small ranges and frequent checkpoints, so resuming is seen on disks of a few MiB; one range at a time, so
        // "no more than one range is sent again" is what a kill can cost.
        ["Replication:RangeSizeMiB"] = "1",
        ["Replication:CheckpointEverySeconds"] = "0.2",
        ["Replication:CopyWorkers"] = "1",
        ["Replication:ShutdownTimeoutSeconds"] = "10",
        ["Replication:FinalCopyTimeoutMinutes"] = "2",
        ["Replication:WorkerTimeoutSeconds"] = "10",
    };

    /// <summary>A tenant with a lab environment whose inventory has synced.</summary>
    public async Task<(TestTenant Tenant, Guid EnvironmentId)> CreateLabTenantAsync(string slug)
    {
        var tenant = await CreateTenantAsync(slug);
        var (result, id) = await AsTenantAsync(tenant, s => s.GetRequiredService<EnvironmentService>().RegisterAsync(new EnvironmentDraft { Name = $"{slug} lab", Kind = EnvironmentKind.Lab }, saveUnverified: false));
        Assert.True(result.Succeeded, result.Message);
        await WaitForAsync(() => AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AnyAsync(e => e.Id == id && e.SyncState == SyncState.Succeeded)), TimeSpan.FromSeconds(30), "the lab's inventory to sync");
        return (tenant, id!.Value);
    }

    public Task<T> AsTenantAsync<T>(TestTenant tenant, Func<IServiceProvider, Task<T>> work) => AsSystemAsync(services =>
    {
        services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
        return work(services);
    });

    /// <summary>The provider's local-storage destination (one per portal).</summary>
    public Task<Guid> DestinationAsync() => AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var existing = await db.DestinationSites.SingleOrDefaultAsync(d => d.Name == "Test storage");
        if (existing is not null)
        {
            return existing.Id;
        }

        var site = DestinationSite.Create(new DestinationDetails("Test storage", DestinationKind.LocalStorage, DestinationRoot, ["prod"]), DateTimeOffset.UtcNow);
        db.DestinationSites.Add(site);
        await db.SaveChangesAsync();
        return site.Id;
    });

    /// <summary>A plan of the lab VMs given, in that boot order, on the test destination, started (its baselines queued).</summary>
    public async Task<Guid> StartPlanAsync(TestTenant tenant, Guid environmentId, string name, IReadOnlyList<string> vmIds, int? throttleMbps = null, bool startOnDestination = false)
    {
        var destination = await DestinationAsync();
        var planId = await AsTenantAsync(tenant, async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var vms = vmIds.Select((id, i) => new PlanVm(id, id, i + 1)).ToList();
            var plan = MigrationPlan.Create(environmentId, new PlanDetails(name, vms, PlanMethod.Network, startOnDestination, false, 15, throttleMbps), DateTimeOffset.UtcNow);
            plan.SetDestination(destination, []);
            db.MigrationPlans.Add(plan);
            await db.SaveChangesAsync();
            return plan.Id;
        });
        var started = await AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().StartAsync(planId));
        Assert.True(started.Succeeded, started.Message);
        return planId;
    }

    /// <summary>Issues a (remote) worker token for the tenant; returns its secret.</summary>
    public Task<string> IssueTokenAsync(TestTenant tenant, string name = "test worker") => AsTenantAsync(tenant, async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var (token, secret) = WorkerToken.Issue(tenant.Id, name, "test", isLocal: false, DateTimeOffset.UtcNow);
        db.WorkerTokens.Add(token);
        await db.SaveChangesAsync();
        return secret;
    });

    public Task<(MigrationPlan Plan, List<VmReplication> Vms, List<ReplicationTask> Tasks)> ReadPlanAsync(Guid planId) => AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        return (
            await db.MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == planId),
            await db.VmReplications.AsNoTracking().Where(v => v.PlanId == planId).OrderBy(v => v.BootOrder).ToListAsync(),
            await db.ReplicationTasks.AsNoTracking().Where(t => t.PlanId == planId).OrderBy(t => t.QueuedAt).ToListAsync());
    });

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> when it never does.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:F0} s for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
