using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Environments;

/// <summary>
/// An estate of 10,000 VMs: the sync stores it, a second sync updates only what changed and drops what is gone,
/// and every page, filter and sort is answered by the database. Timings are printed, not asserted.
/// </summary>
public sealed class InventoryServiceTests(InventoryServiceTests.LargeEstate estate, ITestOutputHelper output) : IClassFixture<InventoryServiceTests.LargeEstate>
{
    public const int VmCount = 10_000;

    public sealed class LargeEstate : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public Guid EnvironmentId { get; private set; }

        public TimeSpan FirstSync { get; private set; }

        public static SourceVm Vm(int i) => new()
        {
            Id = $"vm-{i}",
            Name = $"app-{i:D5}",
            PowerState = i % 4 == 0 ? VmPowerState.PoweredOff : VmPowerState.PoweredOn,
            CpuCount = 1 + (i % 8),
            MemoryBytes = (1L + (i % 16)) << 30,
            GuestOs = i % 3 == 0 ? "Windows Server 2022" : "Debian GNU/Linux 12",
            ToolsState = i % 10 == 0 ? GuestToolsState.NotRunning : GuestToolsState.Running,
            Host = $"esx-{i % 20:D2}",
            Cluster = "Cluster A",
            Disks = [new SourceDisk("2000", "Hard disk 1", (10L + (i % 500)) << 30, (1L + (i % 7)) << 30, i % 5 == 0 ? ChangeTrackingState.Disabled : ChangeTrackingState.Enabled, $"[ds1] app-{i:D5}/app-{i:D5}.vmdk")],
            Nics = [new SourceNic("4000", "VM Network", $"00:50:56:{i >> 16 & 0xff:x2}:{i >> 8 & 0xff:x2}:{i & 0xff:x2}")],
            Snapshots = i % 50 == 0 ? [new SourceSnapshot($"snapshot-{i}", "before patch", DateTimeOffset.UtcNow, [])] : [],
        };

        public async Task InitializeAsync()
        {
            Tenant = await Factory.CreateTenantAsync("large-estate");
            var clock = Stopwatch.StartNew();
            EnvironmentId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(Tenant.Id, "test");
                var (result, id) = await services.GetRequiredService<EnvironmentService>().RegisterAsync(
                    new EnvironmentDraft { Name = "Big vCenter", Kind = EnvironmentKind.VCenter, Endpoint = "https://big.example", UserName = "u@vsphere.local", Secret = "pw" }, saveUnverified: true);
                Assert.True(result.Succeeded, result.Message);
                var environment = await services.GetRequiredService<PortalDbContext>().Environments.SingleAsync(e => e.Id == id);
                await services.GetRequiredService<InventorySync>().ApplyAsync(environment, Enumerable.Range(0, VmCount).Select(Vm).ToList(), CancellationToken.None);
                return id!.Value;
            });
            FirstSync = clock.Elapsed;
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private async Task<InventoryPageResult> QueryAsync(InventoryQuery query)
    {
        var clock = Stopwatch.StartNew();
        var page = await estate.Factory.AsSystemAsync(services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(estate.Tenant.Id, "test");
            return services.GetRequiredService<InventoryService>().QueryAsync(estate.EnvironmentId, query);
        });
        output.WriteLine($"{query.SortBy} desc={query.Descending} search={query.Search} power={query.PowerState} page={query.Page}: {page.TotalCount} matches, {clock.ElapsedMilliseconds} ms (first sync of {VmCount:N0} VMs: {estate.FirstSync.TotalSeconds:0.0} s)");
        return page;
    }

    [Fact]
    public async Task QueryAsync_FirstPage_SortedByNameWithTotal()
    {
        var page = await QueryAsync(new InventoryQuery { PageSize = 25 });

        Assert.Equal(VmCount, page.TotalCount);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"app-{i:D5}"), page.Items.Select(v => v.Name));
        Assert.Equal("00:50:56:00:00:00", page.Items[0].Nics.Single().MacAddress);
        Assert.Equal(ChangeTrackingState.Disabled, page.Items[0].ChangeTracking);
    }

    [Fact]
    public async Task QueryAsync_LastPage_HoldsTheRemainder()
    {
        var page = await QueryAsync(new InventoryQuery { PageSize = 200, Page = VmCount / 200 - 1, Descending = true });

        Assert.Equal(200, page.Items.Count);
        Assert.Equal("app-00199", page.Items[0].Name);
        Assert.Equal("app-00000", page.Items[^1].Name);
    }

    [Fact]
    public async Task QueryAsync_SearchAndFilters_CountWhatMatches()
    {
        var search = await QueryAsync(new InventoryQuery { Search = "APP-0999" });
        var off = await QueryAsync(new InventoryQuery { PowerState = VmPowerState.PoweredOff });
        var noCbt = await QueryAsync(new InventoryQuery { ChangeTracking = ChangeTrackingState.Disabled });
        var tools = await QueryAsync(new InventoryQuery { ToolsState = GuestToolsState.NotRunning, PowerState = VmPowerState.PoweredOff });
        var snapshots = await QueryAsync(new InventoryQuery { HasSnapshots = true });
        var windows = await QueryAsync(new InventoryQuery { Search = "windows" });
        var wildcard = await QueryAsync(new InventoryQuery { Search = "%" });

        Assert.Equal(10, search.TotalCount);
        Assert.Equal(VmCount / 4, off.TotalCount);
        Assert.Equal(VmCount / 5, noCbt.TotalCount);
        Assert.Equal(Enumerable.Range(0, VmCount).Count(i => i % 10 == 0 && i % 4 == 0), tools.TotalCount);
        Assert.Equal(VmCount / 50, snapshots.TotalCount);
        Assert.Equal(Enumerable.Range(0, VmCount).Count(i => i % 3 == 0), windows.TotalCount);
        Assert.Equal(0, wildcard.TotalCount);
    }

    [Fact]
    public async Task QueryAsync_SortByCapacityDescending_LargestFirstAndPagesDisjoint()
    {
        var first = await QueryAsync(new InventoryQuery { SortBy = InventorySort.Capacity, Descending = true, PageSize = 50 });
        var second = await QueryAsync(new InventoryQuery { SortBy = InventorySort.Capacity, Descending = true, PageSize = 50, Page = 1 });

        Assert.Equal(509L << 30, first.Items[0].CapacityBytes);
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => p.First.CapacityBytes >= p.Second.CapacityBytes));
        Assert.True(first.Items[^1].CapacityBytes >= second.Items[0].CapacityBytes);
        Assert.Empty(first.Items.Select(v => v.Id).Intersect(second.Items.Select(v => v.Id)));
    }

    [Fact]
    public async Task ApplyAsync_SecondSync_UpdatesChangedAddsNewRemovesGone()
    {
        // On its own environment, so the other tests' estate stays as it is.
        var (before, after) = await estate.Factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(estate.Tenant.Id, "test");
            var db = services.GetRequiredService<PortalDbContext>();
            var (_, id) = await services.GetRequiredService<EnvironmentService>().RegisterAsync(
                new EnvironmentDraft { Name = "Resync", Kind = EnvironmentKind.VCenter, Endpoint = "https://resync.example", UserName = "u@vsphere.local", Secret = "pw" }, saveUnverified: true);
            var environment = await db.Environments.SingleAsync(e => e.Id == id);
            var sync = services.GetRequiredService<InventorySync>();
            await sync.ApplyAsync(environment, [LargeEstate.Vm(1), LargeEstate.Vm(2), LargeEstate.Vm(3)], CancellationToken.None);
            var before = await db.InventoryVms.AsNoTracking().Where(v => v.EnvironmentId == id).OrderBy(v => v.Name).ToListAsync();

            var renamed = LargeEstate.Vm(2) with { Name = "app-renamed", PowerState = VmPowerState.PoweredOff };
            await sync.ApplyAsync(environment, [LargeEstate.Vm(1), renamed, LargeEstate.Vm(4)], CancellationToken.None);
            var after = await db.InventoryVms.AsNoTracking().Where(v => v.EnvironmentId == id).OrderBy(v => v.ExternalId).ToListAsync();
            return (before, after);
        });

        Assert.Equal(["vm-1", "vm-2", "vm-3"], before.Select(v => v.ExternalId).Order());
        Assert.Equal(["vm-1", "vm-2", "vm-4"], after.Select(v => v.ExternalId));
        Assert.Equal("app-renamed", after[1].Name);
        Assert.Equal(VmPowerState.PoweredOff, after[1].PowerState);
        Assert.Equal(before.Single(v => v.ExternalId == "vm-2").Id, after[1].Id);
    }
}
