using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.TestPeers.Disks;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// Issue 7's seed-device round trip on the lab, end to end through the portal: a plan whose baseline travels by device,
/// its worker process (the real executable, over the real hub) writing the VMs onto a device folder while the guests keep
/// writing, a tampered chunk refused at ingest with nothing of its disk written, a clean ingest, then a delta over the network that
/// carries only the changes since the seed snapshot. Destination disks are compared with the source snapshots.
/// </summary>
public sealed class SeedDeviceEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly MigrationPortal _portal = new() { LocalWorkers = true, LabWorkload = true };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SeedPlan_LoadedByItsWorker_TamperedChunkRefusedAtIngest_CleanIngestThenDelta_DestinationsEqualTheSource()
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync("e2e-seed");
        string[] group = ["lab-web-01", "lab-app-01"];
        var planId = await _portal.StartPlanAsync(tenant, environment, "By courier", group, method: PlanMethod.SeedDevice);

        // Started by seed device: nothing is queued over the network, even when a cycle comes round.
        var cycled = await _portal.AsTenantAsync(tenant, s => RunCycleJob.QueueCycleAsync(s.GetRequiredService<PortalDbContext>(), planId, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(0, cycled);
        Assert.Empty((await _portal.ReadPlanAsync(planId)).Tasks);

        var orderId = await DeliveredOrderAsync(tenant, planId);
        var device = Directory.CreateDirectory(Path.Combine(_portal.DataDirectory, "seed-device-1")).FullName;

        // The tenant names where the device is mounted; the plan's worker writes both VMs onto it.
        var member = TestUsers.MemberOf(tenant);
        var load = await _portal.AsUserAsync(member, s => s.GetRequiredService<SeedDeviceRuns>().LoadAsync(orderId, [device]));
        Assert.True(load.Succeeded, load.Message);
        await WaitForOrderAsync(orderId, o => o.Status == SeedDeviceOrderStatus.Loaded, "the order loaded by itself once both VMs are on the device");

        var (_, loaded, loads) = await _portal.ReadPlanAsync(planId);
        Assert.All(loaded, v => Assert.False(v.BaselineDone));
        Assert.All(loaded, v => Assert.NotNull(v.SeedSnapshotId));
        Assert.Equal(2, loads.Count(t => t.Kind == ReplicationTaskKind.SeedLoad && t.State == ReplicationTaskState.Succeeded));
        Assert.True(!Directory.Exists(_portal.DestinationRoot()) || Directory.GetFiles(_portal.DestinationRoot(), "*", SearchOption.AllDirectories).Length == 0, "the load wrote to the destination");

        // Encrypted: no 4 KiB block of the source's data appears anywhere on the device, and its key is nowhere on it.
        var sample = await DataBlockAsync(environment, "lab-app-01", loaded[1].SeedSnapshotId!, loaded[1].Disks[0].DiskKey);
        var key = await _portal.AsSystemAsync(async s => s.GetRequiredService<SeedDeviceKeys>().Unprotect((await s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.SingleAsync(o => o.Id == orderId)).ProtectedKey!));
        var files = Directory.GetFiles(device, "*", SearchOption.AllDirectories);
        Assert.True(files.Length > 2, $"only {files.Length} files on the device");
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(sample));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(key));
        }

        // Shipped back and received at the provider's; a chunk was altered on the way.
        var op = TestUsers.ProviderOperator;
        Assert.True((await _portal.AsUserAsync(member, s => s.GetRequiredService<SeedDeviceOrderService>().ShipBackAsync(orderId, "DHL", "RET-1"))).Succeeded);
        Assert.True((await _portal.AsUserAsync(op, s => s.GetRequiredService<SeedDeviceOrderService>().MarkReceivedAsync(orderId))).Succeeded);
        var chunk = files.Where(f => f.EndsWith(".chunk", StringComparison.Ordinal)).OrderByDescending(f => new FileInfo(f).Length).First();
        var original = await File.ReadAllBytesAsync(chunk);
        var altered = (byte[])original.Clone();
        altered[altered.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(chunk, altered);

        var ingest = await _portal.AsUserAsync(op, s => s.GetRequiredService<SeedDeviceRuns>().IngestAsync(orderId, [device]));
        Assert.True(ingest.Succeeded, ingest.Message);
        var refused = await WaitForOrderAsync(orderId, o => o.Status == SeedDeviceOrderStatus.Received && o.Reason is not null, "the tampered ingest refused");
        output.WriteLine($"tampered ingest: {refused.Reason}");
        Assert.Contains($"file {Path.GetRelativePath(device, chunk)} on seed device 1", refused.Reason!, StringComparison.Ordinal);
        Assert.DoesNotContain(device, refused.Reason!, StringComparison.Ordinal);
        // Each VM is ingested on its own: the VM whose disk holds the altered chunk got nothing written (the other VM's
        // chunks all verified, so it may be in already).
        var (_, afterTamper, _) = await _portal.ReadPlanAsync(planId);
        var damaged = Assert.Single(afterTamper, v => refused.Reason!.Contains($"disk {v.VmId}/", StringComparison.Ordinal));
        Assert.False(damaged.BaselineDone);
        foreach (var disk in damaged.Disks)
        {
            Assert.True(!File.Exists(disk.Target) || await AllZeroAsync(disk.Target), $"{disk.Target} was written although a chunk failed verification");
        }

        // The chunk put right: the ingest verifies every chunk, writes the disks, and the order is Ingested by itself.
        await File.WriteAllBytesAsync(chunk, original);
        var again = await _portal.AsUserAsync(op, s => s.GetRequiredService<SeedDeviceRuns>().IngestAsync(orderId, [device]));
        Assert.True(again.Succeeded, again.Message);
        var ingested = await WaitForOrderAsync(orderId, o => o.Status == SeedDeviceOrderStatus.Ingested, "the clean ingest");
        Assert.True(ingested.VerifiedChunks > 0);

        var (_, seeded, _) = await _portal.ReadPlanAsync(planId);
        foreach (var vm in seeded)
        {
            Assert.Equal(VmReplicationState.Syncing, vm.State);
            Assert.Equal(vm.SeedSnapshotId, vm.SnapshotId);
            foreach (var disk in vm.Disks)
            {
                Assert.Equal(await LabDisks.SnapshotSha256Async(_portal, environment, vm.VmId, vm.SeedSnapshotId!, disk.DiskKey), await DiskHashes.Sha256Async(disk.Target));
            }
        }

        // The guests kept writing since the seed snapshot: the first delta sends those changes only, over the network.
        var synced = await _portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().SyncNowAsync(planId));
        Assert.True(synced.Succeeded, synced.Message);
        await MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Vms.All(v => v.Cycles >= 1), Limit, "the first delta after the seed");

        var (_, vms, tasks) = await _portal.ReadPlanAsync(planId);
        foreach (var vm in vms)
        {
            var delta = Assert.Single(tasks, t => t.VmReplicationId == vm.Id && t.Kind == ReplicationTaskKind.Delta && t.State == ReplicationTaskState.Succeeded);
            Assert.Equal(vm.SeedSnapshotId, delta.PreviousSnapshotId);
            Assert.True(delta.BytesTotal > 0, $"{vm.VmName}: the delta moved nothing although the guest writes");
            Assert.True(delta.BytesTotal < vm.CapacityBytes / 8, $"{vm.VmName}: the delta copied {delta.BytesTotal} bytes, most of the disk");
            output.WriteLine($"{vm.VmName}: delta after the seed {delta.BytesTotal} bytes");
            var source = await LabDisks.VmAsync(_portal, environment, vm.VmId);
            Assert.DoesNotContain(source.Snapshots, s => s.Id == vm.SeedSnapshotId);
            foreach (var disk in vm.Disks)
            {
                Assert.Equal(await LabDisks.SnapshotSha256Async(_portal, environment, vm.VmId, vm.SnapshotId!, disk.DiskKey), await DiskHashes.Sha256Async(disk.Target));
            }
        }
    }

    /// <summary>An order of the plan placed by the tenant's member, approved, shipped and delivered by the provider's operator.</summary>
    private async Task<Guid> DeliveredOrderAsync(TestTenant tenant, Guid planId)
    {
        var model = await _portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.Where(m => !m.Retired).Select(m => m.Id).FirstAsync());
        var address = new ShippingAddress("Ops team", null, "1 rue de la Paix", null, "75002", "Paris", "FR", "Jeanne Martin", "ops@seed.example", "+33 1 23 45 67 89");
        var (placed, id) = await _portal.AsUserAsync(TestUsers.MemberOf(tenant), s => s.GetRequiredService<SeedDeviceOrderService>().PlaceAsync(planId, model, address));
        Assert.True(placed.Succeeded, placed.Message);
        foreach (var step in new Func<SeedDeviceOrderService, Task<Web.Features.ServiceResult>>[]
        {
            s => s.ApproveAsync(id!.Value), s => s.ShipAsync(id!.Value, "DHL", "OUT-1"), s => s.MarkDeliveredAsync(id!.Value),
        })
        {
            var result = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => step(s.GetRequiredService<SeedDeviceOrderService>()));
            Assert.True(result.Succeeded, result.Message);
        }

        return id!.Value;
    }

    /// <summary>The first 4 KiB block of the snapshot disk that is not all zeroes: data that must not appear in clear.</summary>
    private async Task<byte[]> DataBlockAsync(Guid environment, string vmId, string snapshotId, string diskKey)
    {
        await using var connector = LabDisks.Connector(_portal, environment);
        await using var disk = await connector.OpenSnapshotDiskAsync(vmId, snapshotId, diskKey, CancellationToken.None);
        var block = new byte[4096];
        for (long offset = 0; offset < disk.Size; offset += block.Length)
        {
            await disk.ReadAsync(offset, block, CancellationToken.None);
            if (block.AsSpan().ContainsAnyExcept((byte)0))
            {
                return block;
            }
        }

        throw new InvalidOperationException($"{vmId}/{diskKey} holds no block of data.");
    }

    private static async Task<bool> AllZeroAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<SeedDeviceOrder> WaitForOrderAsync(Guid orderId, Func<SeedDeviceOrder, bool> condition, string what)
    {
        SeedDeviceOrder? last = null;
        await MigrationPortal.WaitForAsync(async () =>
        {
            last = await _portal.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.AsNoTracking().SingleAsync(o => o.Id == orderId));
            return condition(last);
        }, Limit, what);
        return last!;
    }
}
