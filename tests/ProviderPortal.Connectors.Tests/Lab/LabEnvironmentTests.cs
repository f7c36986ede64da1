using System.Diagnostics;
using System.Text.Json;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Tests.Lab;

public sealed class LabEnvironmentTests : IDisposable
{
    private const int Block = LabEnvironment.BlockSize;
    private readonly LabTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpenOrCreateAsync_EmptyFolder_CreatesDefaultLabFastWithSparseDisks()
    {
        var clock = Stopwatch.StartNew();
        var lab = await LabEnvironment.OpenOrCreateAsync(_folder.Root);
        var created = clock.Elapsed;

        var vms = await lab.GetVmsAsync(CancellationToken.None);
        // About 0.5 s on an idle machine; the bound is loose because the test machine's cores are shared.
        Assert.True(created < TimeSpan.FromSeconds(10), $"creating the default lab took {created}");
        Assert.Equal(["lab-web-01", "lab-db-01", "lab-app-01", "lab-legacy-01"], vms.Select(v => v.Name));
        Assert.True(File.Exists(Path.Combine(_folder.Root, LabEnvironment.StateFileName)));
        foreach (var (vm, disk) in vms.SelectMany(v => v.Disks.Select(d => (v, d))))
        {
            Assert.InRange(disk.CapacityBytes, 1L << 30, 2L << 30);
            Assert.Equal(disk.CapacityBytes, new FileInfo(await lab.GetDiskPathAsync(vm.Id, disk.Key, CancellationToken.None)).Length);

            // Tens of MiB of data, the rest a hole.
            Assert.InRange(disk.AllocatedBytes!.Value, 20L * LabTestFolder.MiB, 40L * LabTestFolder.MiB);
        }
    }

    [Fact]
    public async Task OpenOrCreateAsync_ExistingLab_ReopensWithoutRewritingDisks()
    {
        var first = await _folder.OpenAsync();
        await first.SetWorkloadRateAsync("lab-web-01", 12_345, CancellationToken.None);
        var path = await first.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None);
        await first.WriteAsync("lab-web-01", "disk-0", 0, LabTestFolder.RandomBlock(5), CancellationToken.None);
        var before = await LabTestFolder.ContentDigestAsync(path);

        var again = await LabEnvironment.OpenOrCreateAsync(_folder.Root);

        Assert.Equal(12_345, await again.GetWorkloadRateAsync("lab-web-01", CancellationToken.None));
        Assert.Equal(before, await LabTestFolder.ContentDigestAsync(path));
        Assert.Equal(4, (await again.GetVmsAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task OpenOrCreateAsync_CreationInterruptedBeforeLabJson_NextOpenFinishesTheLab()
    {
        // What a process killed while creating the lab leaves: some disks written, one half written, one not yet, no lab.json.
        using var reference = new LabTestFolder();
        var whole = await reference.OpenAsync();
        var first = await _folder.OpenAsync();
        var halfWritten = await first.GetDiskPathAsync("lab-db-01", "disk-1", CancellationToken.None);
        var notYet = await first.GetDiskPathAsync("lab-legacy-01", "disk-1", CancellationToken.None);
        File.Delete(Path.Combine(_folder.Root, LabEnvironment.StateFileName));
        File.Delete(notYet);
        using (var handle = File.OpenHandle(halfWritten, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, 3 * LabTestFolder.MiB);
        }

        var lab = await _folder.OpenAsync();

        var vms = await lab.GetVmsAsync(CancellationToken.None);
        Assert.Equal(["lab-web-01", "lab-db-01", "lab-app-01", "lab-legacy-01"], vms.Select(v => v.Name));
        foreach (var (vm, disk) in vms.SelectMany(v => v.Disks.Select(d => (v.Id, d.Key))))
        {
            Assert.Equal(
                await LabTestFolder.ContentDigestAsync(await whole.GetDiskPathAsync(vm, disk, CancellationToken.None)),
                await LabTestFolder.ContentDigestAsync(await lab.GetDiskPathAsync(vm, disk, CancellationToken.None)));
        }
    }

    [Fact]
    public async Task OpenOrCreateAsync_NoLabJsonAndAFileTheLabNeverWrites_RefusedAndNothingDeleted()
    {
        await _folder.OpenAsync();
        File.Delete(Path.Combine(_folder.Root, LabEnvironment.StateFileName));
        var foreign = Path.Combine(_folder.Root, "disks", "lab-web-01", "notes.txt");
        await File.WriteAllTextAsync(foreign, "mine");

        var error = await Assert.ThrowsAsync<ConnectorException>(() => _folder.OpenAsync());

        Assert.Equal(ConnectorErrorKind.InvalidRequest, error.Kind);
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(Path.Combine(_folder.Root, "disks", "lab-web-01", "disk-0.img")));
    }

    [Fact]
    public async Task OpenOrCreateAsync_FolderWithOtherFiles_RefusesWithInvalidRequest()
    {
        Directory.CreateDirectory(_folder.Root);
        await File.WriteAllTextAsync(Path.Combine(_folder.Root, "notes.txt"), "mine");

        var error = await Assert.ThrowsAsync<ConnectorException>(() => LabEnvironment.OpenOrCreateAsync(_folder.Root));

        Assert.Equal(ConnectorErrorKind.InvalidRequest, error.Kind);
        Assert.False(File.Exists(Path.Combine(_folder.Root, LabEnvironment.StateFileName)));
    }

    [Fact]
    public async Task StateFile_AfterChanges_IsJsonWithTheDocumentedFields()
    {
        var lab = await _folder.OpenAsync();
        await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_folder.Root, LabEnvironment.StateFileName)));
        var vm = json.RootElement.GetProperty("vms")[0];
        Assert.Equal("lab-web-01", vm.GetProperty("id").GetString());
        Assert.Equal("PoweredOn", vm.GetProperty("powerState").GetString());
        Assert.Equal("Running", vm.GetProperty("toolsState").GetString());
        Assert.Equal("lab-net", vm.GetProperty("nics")[0].GetProperty("network").GetString());
        Assert.True(vm.GetProperty("workloadBytesPerSecond").GetInt64() > 0);
        Assert.True(vm.GetProperty("changeTracking").GetBoolean());
        var disk = vm.GetProperty("disks")[0];
        Assert.Equal("disk-0", disk.GetProperty("key").GetString());
        Assert.True(disk.GetProperty("hotLength").GetInt64() > 0);
        Assert.NotNull(vm.GetProperty("snapshots")[0].GetProperty("disks")[0].GetProperty("changeId").GetString());
    }

    [Fact]
    public async Task CreateSnapshotAsync_LaterWrites_DoNotChangeTheSnapshotDisk()
    {
        var lab = await _folder.OpenAsync();
        var offset = 300L * LabTestFolder.MiB;
        var before = LabTestFolder.RandomBlock(1);
        await lab.WriteAsync("lab-web-01", "disk-0", offset, before, CancellationToken.None);
        var snapshot = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await using var frozen = await lab.OpenSnapshotDiskAsync("lab-web-01", snapshot.Id, "disk-0", CancellationToken.None);
        var frozenHash = await LabTestFolder.ContentDigestAsync(frozen);

        await lab.WriteAsync("lab-web-01", "disk-0", offset, LabTestFolder.RandomBlock(2), CancellationToken.None);
        await lab.WriteAsync("lab-web-01", "disk-0", 0, LabTestFolder.RandomBlock(3), CancellationToken.None);

        Assert.Equal(before, await LabTestFolder.ReadAsync(frozen, offset, Block));
        Assert.Equal(frozenHash, await LabTestFolder.ContentDigestAsync(frozen));
        Assert.NotEqual(frozenHash, await LabTestFolder.ContentDigestAsync(await lab.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None)));
        Assert.True(frozen.Capabilities.HasFlag(DeviceCapabilities.ReadOnly));
    }

    [Fact]
    public async Task CreateSnapshotAsync_SparseDisk_FrozenFileKeepsTheHoles()
    {
        var lab = await _folder.OpenAsync();
        var live = await lab.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None);

        var snapshot = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);

        var areas = await lab.GetChangedAreasAsync("lab-web-01", snapshot.Id, "disk-0", null, CancellationToken.None);
        Assert.InRange(areas.Sum(a => a.Length), 4L * LabTestFolder.MiB, 6L * LabTestFolder.MiB);
        await using var frozen = await lab.OpenSnapshotDiskAsync("lab-web-01", snapshot.Id, "disk-0", CancellationToken.None);
        Assert.Equal(1L << 30, frozen.Size);
        Assert.Equal(await LabTestFolder.ContentDigestAsync(live), await LabTestFolder.ContentDigestAsync(frozen));
    }

    [Fact]
    public async Task GetChangedAreasAsync_BetweenTwoSnapshots_EqualsExactlyTheBlocksWritten()
    {
        var lab = await _folder.OpenAsync();
        var s0 = await lab.CreateSnapshotAsync("lab-db-01", "s0", CancellationToken.None);
        // Unaligned and block-spanning writes, adjacent blocks, a block at the very end, and one write to the other disk.
        await lab.WriteAsync("lab-db-01", "disk-1", (10L * Block) + 100, new byte[10], CancellationToken.None);
        await lab.WriteAsync("lab-db-01", "disk-1", (20L * Block) + 1, LabTestFolder.RandomBlock(4), CancellationToken.None);
        await lab.WriteAsync("lab-db-01", "disk-1", 22L * Block, LabTestFolder.RandomBlock(5, 2 * Block), CancellationToken.None);
        await lab.WriteAsync("lab-db-01", "disk-1", (2L << 30) - Block, LabTestFolder.RandomBlock(6), CancellationToken.None);
        await lab.WriteAsync("lab-db-01", "disk-0", 5L * Block, LabTestFolder.RandomBlock(7), CancellationToken.None);
        var s1 = await lab.CreateSnapshotAsync("lab-db-01", "s1", CancellationToken.None);
        await lab.WriteAsync("lab-db-01", "disk-1", 40L * Block, LabTestFolder.RandomBlock(8), CancellationToken.None);

        var disk1 = await lab.GetChangedAreasAsync("lab-db-01", s1.Id, "disk-1", s0.Disks[1].ChangeId, CancellationToken.None);
        var disk0 = await lab.GetChangedAreasAsync("lab-db-01", s1.Id, "disk-0", s0.Disks[0].ChangeId, CancellationToken.None);

        Assert.Equal(
            [new ByteRange(10L * Block, Block), new ByteRange(20L * Block, 4L * Block), new ByteRange((2L << 30) - Block, Block)],
            disk1);
        Assert.Equal([new ByteRange(5L * Block, Block)], disk0);
        Assert.Empty(await lab.GetChangedAreasAsync("lab-db-01", s1.Id, "disk-1", s1.Disks[1].ChangeId, CancellationToken.None));
    }

    [Fact]
    public async Task GetChangedAreasAsync_OverSeveralSnapshots_IsTheUnionOfTheirChanges()
    {
        var lab = await _folder.OpenAsync();
        var s0 = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await lab.WriteAsync("lab-web-01", "disk-0", 3L * Block, LabTestFolder.RandomBlock(1), CancellationToken.None);
        var s1 = await lab.CreateSnapshotAsync("lab-web-01", "s1", CancellationToken.None);
        await lab.WriteAsync("lab-web-01", "disk-0", 4L * Block, LabTestFolder.RandomBlock(2), CancellationToken.None);
        await lab.WriteAsync("lab-web-01", "disk-0", 9L * Block, LabTestFolder.RandomBlock(3), CancellationToken.None);
        var s2 = await lab.CreateSnapshotAsync("lab-web-01", "s2", CancellationToken.None);

        // The snapshot whose change id is the base may be gone: its change sets stay.
        await lab.RemoveSnapshotAsync("lab-web-01", s0.Id, CancellationToken.None);
        await lab.RemoveSnapshotAsync("lab-web-01", s1.Id, CancellationToken.None);

        Assert.Equal(
            [new ByteRange(3L * Block, 2L * Block), new ByteRange(9L * Block, Block)],
            await lab.GetChangedAreasAsync("lab-web-01", s2.Id, "disk-0", s0.Disks[0].ChangeId, CancellationToken.None));
        Assert.Equal(
            [new ByteRange(4L * Block, Block), new ByteRange(9L * Block, Block)],
            await lab.GetChangedAreasAsync("lab-web-01", s2.Id, "disk-0", s1.Disks[0].ChangeId, CancellationToken.None));
    }

    [Fact]
    public async Task GetChangedAreasAsync_SinceNull_GivesTheAllocatedExtentsOfTheSnapshot()
    {
        var lab = await _folder.OpenAsync();
        var live = await lab.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None);
        var snapshot = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        // Written after the snapshot: must not appear.
        await lab.WriteAsync("lab-web-01", "disk-0", 900L * LabTestFolder.MiB, LabTestFolder.RandomBlock(1), CancellationToken.None);
        await using var frozen = await lab.OpenSnapshotDiskAsync("lab-web-01", snapshot.Id, "disk-0", CancellationToken.None);
        var expected = (await frozen.GetExtentsAsync(0, frozen.Size, CancellationToken.None))
            .Where(e => e.Kind == ExtentKind.Data)
            .Select(e => new ByteRange(e.Offset, e.Length))
            .ToList();

        var areas = await lab.GetChangedAreasAsync("lab-web-01", snapshot.Id, "disk-0", null, CancellationToken.None);

        Assert.NotEmpty(areas);
        Assert.Equal(Merge(expected), areas);
        Assert.DoesNotContain(areas, a => a.Offset <= 900L * LabTestFolder.MiB && a.End > 900L * LabTestFolder.MiB);
        Assert.True(new FileInfo(live).Length > areas.Sum(a => a.Length) * 10);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("0123456789ab-1")]
    public async Task GetChangedAreasAsync_UnknownChangeId_ThrowsChangeTrackingReset(string since)
    {
        var lab = await _folder.OpenAsync();
        var snapshot = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.GetChangedAreasAsync("lab-web-01", snapshot.Id, "disk-0", since, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, error.Kind);
    }

    [Fact]
    public async Task GetChangedAreasAsync_ChangeIdOlderThanRetained_ThrowsChangeTrackingReset()
    {
        var lab = await _folder.OpenAsync();
        var first = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        SourceSnapshot last = first;
        for (var i = 1; i <= 40; i++)
        {
            await lab.RemoveSnapshotAsync("lab-web-01", last.Id, CancellationToken.None);
            last = await lab.CreateSnapshotAsync("lab-web-01", $"s{i}", CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.GetChangedAreasAsync("lab-web-01", last.Id, "disk-0", first.Disks[0].ChangeId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, error.Kind);
    }

    [Fact]
    public async Task SetChangeTrackingAsync_Off_SnapshotsCarryNoChangeIdAndDeltasAreRefused()
    {
        var lab = await _folder.OpenAsync();
        var before = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await lab.SetChangeTrackingAsync("lab-web-01", enabled: false, CancellationToken.None);

        var off = await lab.CreateSnapshotAsync("lab-web-01", "s1", CancellationToken.None);

        Assert.All(off.Disks, d => Assert.Null(d.ChangeId));
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.GetChangedAreasAsync("lab-web-01", off.Id, "disk-0", before.Disks[0].ChangeId, CancellationToken.None));
        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, error.Kind);
        Assert.NotEmpty(await lab.GetChangedAreasAsync("lab-web-01", off.Id, "disk-0", null, CancellationToken.None));
        Assert.Equal(ChangeTrackingState.Disabled, (await lab.GetVmAsync("lab-web-01", CancellationToken.None)).Disks[0].ChangeTracking);
    }

    [Fact]
    public async Task SetChangeTrackingAsync_OffThenOn_OldChangeIdsAreReset()
    {
        var lab = await _folder.OpenAsync();
        var s0 = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await lab.SetChangeTrackingAsync("lab-web-01", enabled: false, CancellationToken.None);
        await lab.SetChangeTrackingAsync("lab-web-01", enabled: true, CancellationToken.None);
        await lab.WriteAsync("lab-web-01", "disk-0", 0, LabTestFolder.RandomBlock(1), CancellationToken.None);

        var s1 = await lab.CreateSnapshotAsync("lab-web-01", "s1", CancellationToken.None);

        Assert.NotNull(s1.Disks[0].ChangeId);
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.GetChangedAreasAsync("lab-web-01", s1.Id, "disk-0", s0.Disks[0].ChangeId, CancellationToken.None));
        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, error.Kind);
    }

    [Fact]
    public async Task RemoveSnapshotAsync_DeletesTheFrozenFilesOnly()
    {
        var lab = await _folder.OpenAsync();
        var snapshot = await lab.CreateSnapshotAsync("lab-db-01", "s0", CancellationToken.None);
        var folder = Path.Combine(_folder.Root, "snapshots", "lab-db-01", snapshot.Id);
        Assert.Equal(2, Directory.GetFiles(folder).Length);

        await lab.RemoveSnapshotAsync("lab-db-01", snapshot.Id, CancellationToken.None);

        Assert.False(Directory.Exists(folder));
        Assert.Empty((await lab.GetVmAsync("lab-db-01", CancellationToken.None)).Snapshots);
        Assert.True(File.Exists(await lab.GetDiskPathAsync("lab-db-01", "disk-1", CancellationToken.None)));
        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.OpenSnapshotDiskAsync("lab-db-01", snapshot.Id, "disk-0", CancellationToken.None));
        Assert.Equal(ConnectorErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task WriteAsync_OutsideTheDisk_ThrowsInvalidRequestAndChangesNothing()
    {
        var lab = await _folder.OpenAsync();

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => lab.WriteAsync("lab-web-01", "disk-0", (1L << 30) - 10, new byte[20], CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(1L << 30, new FileInfo(await lab.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None)).Length);
    }

    [Fact]
    public async Task AnyCall_LockFileHeldByAnotherProcess_WaitsForItThenTimesOut()
    {
        await _folder.OpenAsync();
        var lab = await LabEnvironment.OpenOrCreateAsync(_folder.Root, LabTestFolder.SmallLab with { LockTimeout = TimeSpan.FromMilliseconds(300) });
        var lockPath = Path.Combine(_folder.Root, "lab.lock");

        // What another process holding the lab does: an exclusive open of lab.lock (flock on Linux).
        ConnectorException error;
        using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            error = await Assert.ThrowsAsync<ConnectorException>(() => lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None));
        }

        Assert.Equal(ConnectorErrorKind.Timeout, error.Kind);
        Assert.Empty((await lab.GetVmAsync("lab-web-01", CancellationToken.None)).Snapshots);
    }

    [Fact]
    public async Task AnyCall_LockFileReleasedWhileWaiting_Proceeds()
    {
        var lab = await _folder.OpenAsync();
        var lockPath = Path.Combine(_folder.Root, "lab.lock");
        var holder = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var snapshot = lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await Task.Delay(100);
        var finishedWhileHeld = snapshot.IsCompleted;
        await holder.DisposeAsync();
        await snapshot;

        Assert.False(finishedWhileHeld);
        Assert.Single((await lab.GetVmAsync("lab-web-01", CancellationToken.None)).Snapshots);
    }

    private static List<ByteRange> Merge(List<ByteRange> ranges)
    {
        var merged = new List<ByteRange>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && merged[^1].End == range.Offset)
            {
                merged[^1] = merged[^1] with { Length = range.End - merged[^1].Offset };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
