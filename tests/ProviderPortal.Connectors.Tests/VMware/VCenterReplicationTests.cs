using ProviderPortal.Connectors.VMware;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>
/// Disk data and changed blocks end to end: a test writes into a VM's -flat file as its guest would, the peer
/// freezes snapshots and answers QueryChangedDiskAreas from the files, the replication engine copies.
/// </summary>
public sealed class VCenterReplicationTests(VcsimFixture fixture) : IClassFixture<VcsimFixture>, IDisposable
{
    private const int Block = 64 * 1024;
    private const long MiB = 1024 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _work = Directory.CreateTempSubdirectory("vcenter-replication-").FullName;

    [Fact]
    public async Task OpenSnapshotDiskAsync_DatastoreRangeReads_EqualTheSnapshotFileBytes()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM0");
        var disk = Assert.Single(vm.Disks);
        var file = fixture.Peer.FlatFile(disk);
        await WriteAsync(file, [(0, 256 * 1024), (5 * MiB + 123, 777_777), (disk.CapacityBytes - 4096, 4096)], seed: 1);
        var atSnapshot = await File.ReadAllBytesAsync(file);
        await using var connector = fixture.Connect();
        var snapshot = await connector.CreateSnapshotAsync(vm.Id, "reads", None);
        // The guest goes on writing: reads must still see the snapshot.
        await WriteAsync(file, [(0, 128 * 1024)], seed: 2);

        await using (var device = await connector.OpenSnapshotDiskAsync(vm.Id, snapshot.Id, disk.Key, None))
        {
            Assert.Equal(disk.CapacityBytes, device.Size);
            Assert.True(device.Capabilities.HasFlag(DeviceCapabilities.ReadOnly));
            (long Offset, int Length)[] reads = [(0, 256 * 1024), (5 * MiB, 2 * (int)MiB), (disk.CapacityBytes - 10_000, 10_000), (31 * MiB + 7, 1)];
            var results = await Task.WhenAll(reads.Select(async r =>
            {
                var buffer = new byte[r.Length];
                await device.ReadAsync(r.Offset, buffer, None);
                return (r.Offset, buffer);
            }));

            Assert.All(results, r => Assert.True(atSnapshot.AsSpan((int)r.Offset, r.buffer.Length).SequenceEqual(r.buffer), $"bytes at {r.Offset} differ"));
            var outside = await Assert.ThrowsAsync<BlockDeviceException>(async () => await device.ReadAsync(disk.CapacityBytes - 10, new byte[20], None));
            Assert.Contains("offset", outside.Message, StringComparison.Ordinal);
        }

        await connector.RemoveSnapshotAsync(vm.Id, snapshot.Id, None);
    }

    [Fact]
    public async Task CopyAsync_FullThenDeltaFromChangedAreas_TargetEqualsSecondSnapshot()
    {
        var vm = await fixture.FindVmAsync("DC0_C0_RP0_VM0");
        var disk = Assert.Single(vm.Disks);
        var file = fixture.Peer.FlatFile(disk);
        var target = Path.Combine(_work, "target.raw");
        await using var connector = fixture.Connect();

        // The guest writes, change tracking goes on, S0 is the base of a full copy of what is allocated.
        (long, int)[] first = [(0, 3 * (int)MiB), (20 * MiB, (int)MiB), (63 * MiB, Block)];
        await WriteAsync(file, first, seed: 10);
        await connector.EnableChangeTrackingAsync(vm.Id, None);
        var s0 = await connector.CreateSnapshotAsync(vm.Id, "S0", None);
        var baseChangeId = Assert.Single(s0.Disks).ChangeId;
        Assert.NotNull(baseChangeId);
        var callsBefore = await fixture.Peer.CallsAsync("QueryChangedDiskAreas");
        var allocated = await connector.GetChangedAreasAsync(vm.Id, s0.Id, disk.Key, null, None);
        // 64 MiB answered 16 MiB per call: the startOffset loop ran four times.
        Assert.Equal(callsBefore + 4, await fixture.Peer.CallsAsync("QueryChangedDiskAreas"));
        Assert.Equal(Ranges(first), allocated);
        var full = await CopyAsync(connector, vm.Id, s0.Id, disk, target, allocated);
        Assert.Equal(allocated.Sum(a => a.Length), full.BytesRead);
        await connector.RemoveSnapshotAsync(vm.Id, s0.Id, None);

        // More writes at scattered offsets, some over old data; S1; the delta since S0's change id.
        (long, int)[] second = [(MiB, Block), (10 * MiB + Block, 3 * Block), (20 * MiB + 5 * Block, Block), (40 * MiB, 2 * (int)MiB), (63 * MiB + 2 * Block, Block)];
        await WriteAsync(file, second, seed: 11);
        var atS1 = await File.ReadAllBytesAsync(file);
        var s1 = await connector.CreateSnapshotAsync(vm.Id, "S1", None);
        await WriteAsync(file, [(30 * MiB, Block)], seed: 12);
        var changed = await connector.GetChangedAreasAsync(vm.Id, s1.Id, disk.Key, baseChangeId, None);
        var delta = await CopyAsync(connector, vm.Id, s1.Id, disk, target, changed);
        await connector.RemoveSnapshotAsync(vm.Id, s1.Id, None);

        Assert.Equal(Ranges(second), changed);
        Assert.Equal(changed.Sum(a => a.Length), delta.BytesRead);
        Assert.Equal(38L * Block, delta.BytesRead);
        var copied = await File.ReadAllBytesAsync(target);
        Assert.Equal(atS1.Length, copied.Length);
        Assert.True(atS1.AsSpan().SequenceEqual(copied), "the target differs from S1's disk");
    }

    [Fact]
    public async Task GetChangedAreasAsync_UnknownChangeId_ThrowsChangeTrackingReset()
    {
        var vm = await fixture.FindVmAsync("DC0_C0_RP0_VM1");
        var disk = Assert.Single(vm.Disks);
        await using var connector = fixture.Connect();
        await connector.EnableChangeTrackingAsync(vm.Id, None);
        var snapshot = await connector.CreateSnapshotAsync(vm.Id, "reset", None);

        var error = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.GetChangedAreasAsync(vm.Id, snapshot.Id, disk.Key, "52 00000000 0000/9999", None));
        await connector.RemoveSnapshotAsync(vm.Id, snapshot.Id, None);

        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, error.Kind);
        Assert.Contains(disk.Key, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static async Task<CopyResult> CopyAsync(VCenterConnector connector, string vmId, string snapshotId, SourceDisk disk, string target, IReadOnlyList<ByteRange> ranges)
    {
        await using var source = await connector.OpenSnapshotDiskAsync(vmId, snapshotId, disk.Key, None);
        await using var sink = await BlockDevices.OpenAsync(target, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = disk.CapacityBytes }, None);
        return await BlockCopier.CopyAsync(source, sink, new CopyRequest { Plan = CopyPlan.Changed(ranges) }, None);
    }

    /// <summary>Writes distinct random bytes (no zero block) at each offset, as a guest writing its disk.</summary>
    private static async Task WriteAsync(string file, IEnumerable<(long Offset, int Length)> writes, int seed)
    {
        var random = new Random(seed);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        foreach (var (offset, length) in writes)
        {
            var data = new byte[length];
            random.NextBytes(data);
            data[0] |= 1;
            stream.Position = offset;
            await stream.WriteAsync(data);
        }
    }

    /// <summary>The 64 KiB blocks the writes touch, merged: what changed-block tracking at 64 KiB granularity reports.</summary>
    private static List<ByteRange> Ranges(IEnumerable<(long Offset, int Length)> writes)
    {
        var blocks = writes.SelectMany(w => Enumerable.Range(0, (int)(((w.Offset + w.Length - 1) / Block) - (w.Offset / Block) + 1)).Select(i => (w.Offset / Block) + i))
            .Distinct().Order().ToList();
        var ranges = new List<ByteRange>();
        foreach (var block in blocks)
        {
            if (ranges.Count > 0 && ranges[^1].End == block * Block)
            {
                ranges[^1] = ranges[^1] with { Length = ranges[^1].Length + Block };
            }
            else
            {
                ranges.Add(new ByteRange(block * Block, Block));
            }
        }

        return ranges;
    }
}
