using System.Diagnostics;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Tests.Lab;

/// <summary>The lab driven the way a migration drives a real environment: the replication engine copies while guests write.</summary>
public sealed class LabReplicationAcceptanceTests : IDisposable
{
    private const string Vm = "lab-web-01";
    private const string Disk = "disk-0";
    private const int PortalSnapshots = 20;
    private readonly LabTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WarmMigration_WorkloadRunningThroughBaselineAndDelta_TargetEqualsTheLiveDiskAfterCutover()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync(Vm, 48 * LabTestFolder.MiB, CancellationToken.None);
        await using var connector = new LabConnector(_folder.Settings);
        var workload = new LabWorkload(lab, seed: 11) { Tick = TimeSpan.FromMilliseconds(10) };
        using var stop = new CancellationTokenSource();
        var guests = Task.Run(() => workload.RunAsync(stop.Token));
        var target = Path.Combine(_folder.Root, "target.img");
        try
        {
            // Baseline: S0 and its allocated extents, while the guest keeps writing.
            await WaitForWritesAsync(workload, 0);
            var s0 = await connector.CreateSnapshotAsync(Vm, "baseline", CancellationToken.None);
            var baseline = await connector.GetChangedAreasAsync(Vm, s0.Id, Disk, null, CancellationToken.None);
            await CopyAsync(connector, s0.Id, target, baseline, create: true);

            // One delta cycle, still running: S1, changes since S0, drop S0.
            await WaitForWritesAsync(workload, workload.BytesWritten);
            var s1 = await connector.CreateSnapshotAsync(Vm, "delta-1", CancellationToken.None);
            var delta1 = await connector.GetChangedAreasAsync(Vm, s1.Id, Disk, s0.Disks[0].ChangeId, CancellationToken.None);
            await CopyAsync(connector, s1.Id, target, delta1, create: false);
            await connector.RemoveSnapshotAsync(Vm, s0.Id, CancellationToken.None);
            await using (var frozen1 = await connector.OpenSnapshotDiskAsync(Vm, s1.Id, Disk, CancellationToken.None))
            {
                Assert.Equal(await LabTestFolder.ContentDigestAsync(frozen1), await LabTestFolder.ContentDigestAsync(target));
            }

            // Cutover: the guest shuts down (the workload stops writing to it), S2, the final delta.
            await WaitForWritesAsync(workload, workload.BytesWritten);
            await connector.ShutdownGuestAsync(Vm, TimeSpan.FromSeconds(10), CancellationToken.None);
            var s2 = await connector.CreateSnapshotAsync(Vm, "final", CancellationToken.None);
            var delta2 = await connector.GetChangedAreasAsync(Vm, s2.Id, Disk, s1.Disks[0].ChangeId, CancellationToken.None);
            await CopyAsync(connector, s2.Id, target, delta2, create: false);
            await connector.RemoveSnapshotAsync(Vm, s1.Id, CancellationToken.None);

            // The workload keeps running for the other VMs; this one is off, so its live disk holds still.
            await Task.Delay(50);
            var live = await lab.GetDiskPathAsync(Vm, Disk, CancellationToken.None);
            var liveHash = await LabTestFolder.Sha256Async(live);
            await using var frozen2 = await connector.OpenSnapshotDiskAsync(Vm, s2.Id, Disk, CancellationToken.None);
            Assert.Equal(liveHash, await LabTestFolder.Sha256Async(target));
            Assert.Equal(liveHash, await LabTestFolder.Sha256Async(frozen2));

            // Both deltas carried real changes: a lab without a working workload or tracking would not get here green.
            Assert.NotEmpty(delta1);
            Assert.NotEmpty(delta2);
            Assert.All(delta1.Concat(delta2), r => Assert.InRange(r.Offset, 256L * LabTestFolder.MiB, 320L * LabTestFolder.MiB));
            Assert.Equal(VmPowerState.PoweredOff, (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == Vm).PowerState);
        }
        finally
        {
            await stop.CancelAsync();
            await guests;
        }
    }

    [Fact]
    public async Task TwoConnectorsOnOneRoot_ConcurrentSnapshotsAndWorkload_SeeEachOtherAndKeepExactDeltas()
    {
        await _folder.OpenAsync();
        // As three processes would: the portal's connector, a worker's connector, and the workload host.
        await using var portal = new LabConnector(_folder.Settings);
        await using var worker = new LabConnector(_folder.Settings);
        var host = await LabEnvironment.OpenOrCreateAsync(_folder.Root);
        await host.SetWorkloadRateAsync("lab-db-01", 32 * LabTestFolder.MiB, CancellationToken.None);
        var workload = new LabWorkload(host, seed: 12) { Tick = TimeSpan.FromMilliseconds(5) };
        using var stop = new CancellationTokenSource();
        var guests = Task.Run(() => workload.RunAsync(stop.Token));
        var target = Path.Combine(_folder.Root, "target.img");
        try
        {
            // The worker replicates disk-1 of lab-db-01 cycle by cycle while the portal snapshots and powers other VMs.
            var previous = await worker.CreateSnapshotAsync("lab-db-01", "c0", CancellationToken.None);
            await CopyAsync(worker, "lab-db-01", previous.Id, "disk-1", target, await worker.GetChangedAreasAsync("lab-db-01", previous.Id, "disk-1", null, CancellationToken.None), create: true);
            var portalSide = Task.Run(async () =>
            {
                for (var i = 0; i < PortalSnapshots; i++)
                {
                    var snapshot = await portal.CreateSnapshotAsync("lab-app-01", $"p{i}", CancellationToken.None);
                    await portal.RemoveSnapshotAsync("lab-app-01", snapshot.Id, CancellationToken.None);
                }

                await portal.PowerOffAsync("lab-web-01", CancellationToken.None);
            });
            var changed = 0L;
            for (var cycle = 1; cycle <= 4; cycle++)
            {
                await WaitForWritesAsync(workload, workload.BytesWritten);
                var next = await worker.CreateSnapshotAsync("lab-db-01", $"c{cycle}", CancellationToken.None);
                var delta = await worker.GetChangedAreasAsync("lab-db-01", next.Id, "disk-1", previous.Disks[1].ChangeId, CancellationToken.None);
                await CopyAsync(worker, "lab-db-01", next.Id, "disk-1", target, delta, create: false);
                await worker.RemoveSnapshotAsync("lab-db-01", previous.Id, CancellationToken.None);
                changed += delta.Sum(d => d.Length);
                previous = next;
            }

            await portalSide;

            await using (var last = await worker.OpenSnapshotDiskAsync("lab-db-01", previous.Id, "disk-1", CancellationToken.None))
            {
                Assert.Equal(await LabTestFolder.ContentDigestAsync(last), await LabTestFolder.ContentDigestAsync(target));
            }

            Assert.True(changed > 0);
            var seenByPortal = (await portal.GetInventoryAsync(CancellationToken.None)).ToDictionary(v => v.Id);
            var seenByWorker = (await worker.GetInventoryAsync(CancellationToken.None)).ToDictionary(v => v.Id);
            Assert.Equal([previous.Id], seenByPortal["lab-db-01"].Snapshots.Select(s => s.Id));
            Assert.Empty(seenByWorker["lab-app-01"].Snapshots);
            Assert.Equal(VmPowerState.PoweredOff, seenByWorker["lab-web-01"].PowerState);
            Assert.Equal($"snap-{PortalSnapshots + 1}", (await worker.CreateSnapshotAsync("lab-app-01", "after", CancellationToken.None)).Id);
        }
        finally
        {
            await stop.CancelAsync();
            await guests;
        }

        // The state survived the contention: a fresh instance reads it.
        var reopened = await LabEnvironment.OpenOrCreateAsync(_folder.Root);
        Assert.Equal(4, (await reopened.GetVmsAsync(CancellationToken.None)).Count);
    }

    private static Task CopyAsync(ISourceConnector connector, string snapshotId, string target, IReadOnlyList<ByteRange> areas, bool create) =>
        CopyAsync(connector, Vm, snapshotId, Disk, target, areas, create);

    private static async Task CopyAsync(ISourceConnector connector, string vm, string snapshotId, string disk, string target, IReadOnlyList<ByteRange> areas, bool create)
    {
        await using var source = await connector.OpenSnapshotDiskAsync(vm, snapshotId, disk, CancellationToken.None);
        await using var destination = FileDevice.Open(target, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = create ? source.Size : null });
        await BlockCopier.CopyAsync(source, destination, new CopyRequest { Plan = CopyPlan.Changed(areas) });
    }

    /// <summary>
    /// Waits (bounded) until the workload wrote more than <paramref name="after"/> bytes, so each cycle has real changes.
    /// It usually takes milliseconds; the bound is generous because the suite's other projects share the two cores.
    /// </summary>
    private static async Task WaitForWritesAsync(LabWorkload workload, long after)
    {
        var clock = Stopwatch.StartNew();
        while (workload.BytesWritten <= after && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }

        Assert.True(workload.BytesWritten > after, "the workload wrote nothing in 30 s");
    }
}
