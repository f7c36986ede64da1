using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Plans;

/// <summary>
/// Two tenants, each with a lab environment whose inventory has VMs on networks "VM Network" and "DMZ-Web" (and one VM on
/// "Backup" that no plan holds, one NIC on no network), and destinations offered by the provider: "Main" (prod, dmz-web),
/// and "Old" (retired).
/// </summary>
public sealed class PlanWorld : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new();

    public TestTenant A { get; private set; } = default!;

    public TestTenant B { get; private set; } = default!;

    public Guid AEnvironmentId { get; private set; }

    public Guid BEnvironmentId { get; private set; }

    public Guid MainId { get; private set; }

    public Guid RetiredId { get; private set; }

    public static IReadOnlyList<PlanVm> Group { get; } = [new PlanVm("vm-web", "web-01", 1), new PlanVm("vm-db", "db-01", 2)];

    public async Task InitializeAsync()
    {
        A = await Factory.CreateTenantAsync("plan-config-a");
        B = await Factory.CreateTenantAsync("plan-config-b");
        AEnvironmentId = await EnvironmentAsync(A);
        BEnvironmentId = await EnvironmentAsync(B);
        (MainId, RetiredId) = await Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var root = Path.Combine(Factory.DataDirectory, "dest");
            var main = DestinationSite.Create(new DestinationDetails("Main", DestinationKind.LocalStorage, Path.Combine(root, "main"), ["prod", "dmz-web"]), DateTimeOffset.UtcNow);
            var old = DestinationSite.Create(new DestinationDetails("Old", DestinationKind.LocalStorage, Path.Combine(root, "old"), ["prod", "dmz-web"]), DateTimeOffset.UtcNow);
            old.Retire();
            db.DestinationSites.AddRange(main, old);
            await db.SaveChangesAsync();
            return (main.Id, old.Id);
        });
    }

    private Task<Guid> EnvironmentAsync(TestTenant tenant) => SeedEnvironmentAsync(Factory, tenant);

    /// <summary>A lab environment of the tenant whose inventory holds the VMs described above.</summary>
    public static Task<Guid> SeedEnvironmentAsync(PortalFactory factory, TestTenant tenant) => factory.AsSystemAsync(async s =>
    {
        s.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
        var db = s.GetRequiredService<PortalDbContext>();
        var environment = SourceEnvironment.Register(new EnvironmentDetails($"lab-{tenant.Slug}", EnvironmentKind.Lab, null, null), null, null, verified: true, DateTimeOffset.UtcNow);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        SourceDisk Disk() => new("2000", "Hard disk 1", 1L << 30, 1L << 29, ChangeTrackingState.Enabled, null);
        await s.GetRequiredService<InventorySync>().ApplyAsync(environment,
        [
            new SourceVm { Id = "vm-web", Name = "web-01", Disks = [Disk()], Nics = [new SourceNic("4000", "VM Network", null), new SourceNic("4001", "DMZ-Web", null)] },
            new SourceVm { Id = "vm-db", Name = "db-01", Disks = [Disk()], Nics = [new SourceNic("4000", "VM Network", null), new SourceNic("4001", null, null), new SourceNic("4002", " ", null)] },
            new SourceVm { Id = "vm-backup", Name = "backup-01", Disks = [Disk()], Nics = [new SourceNic("4000", "Backup", null)] },
        ], CancellationToken.None);
        return environment.Id;
    });

    /// <summary>A new draft plan of <see cref="Group"/> in the tenant's environment.</summary>
    public Task<Guid> DraftAsync(TestTenant tenant, string name) => SeedDraftAsync(Factory, tenant, tenant == A ? AEnvironmentId : BEnvironmentId, name);

    public static Task<Guid> SeedDraftAsync(PortalFactory factory, TestTenant tenant, Guid environmentId, string name) => factory.AsSystemAsync(async s =>
    {
        s.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
        var db = s.GetRequiredService<PortalDbContext>();
        var plan = MigrationPlan.Create(environmentId, new PlanDetails(name, Group, PlanMethod.Network, false, false, 15, null), DateTimeOffset.UtcNow);
        db.MigrationPlans.Add(plan);
        await db.SaveChangesAsync();
        return plan.Id;
    });

    public Task<MigrationPlan> PlanAsync(Guid id) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == id));

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
