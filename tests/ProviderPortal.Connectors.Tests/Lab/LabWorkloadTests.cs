using ProviderPortal.Connectors.Lab;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Tests.Lab;

public sealed class LabWorkloadTests : IDisposable
{
    private readonly LabTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WriteOnceAsync_OneSecond_WritesEachRunningVmsRateIntoItsHotRegionOnly()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync("lab-web-01", 2 * LabTestFolder.MiB, CancellationToken.None);
        await lab.SetWorkloadRateAsync("lab-db-01", 0, CancellationToken.None);
        await lab.SetWorkloadRateAsync("lab-app-01", 0, CancellationToken.None);
        var s0 = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        var workload = new LabWorkload(lab, seed: 1);

        var written = await workload.WriteOnceAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        var s1 = await lab.CreateSnapshotAsync("lab-web-01", "s1", CancellationToken.None);
        var areas = await lab.GetChangedAreasAsync("lab-web-01", s1.Id, "disk-0", s0.Disks[0].ChangeId, CancellationToken.None);
        Assert.Equal(2 * LabTestFolder.MiB, written);
        Assert.Equal(written, workload.BytesWritten);
        Assert.NotEmpty(areas);
        // The default hot region of a 1 GiB disk: 64 MiB at 256 MiB. Random blocks may repeat, so at most the bytes written.
        Assert.All(areas, a => Assert.InRange(a.Offset, 256L * LabTestFolder.MiB, (320L * LabTestFolder.MiB) - a.Length));
        Assert.InRange(areas.Sum(a => a.Length), LabTestFolder.MiB, written);
        Assert.All(areas, a => Assert.Equal(0, a.Offset % LabEnvironment.BlockSize));
    }

    [Fact]
    public async Task WriteOnceAsync_ChangedAreas_CoverEveryByteThatDiffersBetweenSnapshots()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync("lab-web-01", 4 * LabTestFolder.MiB, CancellationToken.None);
        var s0 = await lab.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        await new LabWorkload(lab, seed: 2).WriteOnceAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        var s1 = await lab.CreateSnapshotAsync("lab-web-01", "s1", CancellationToken.None);
        var areas = await lab.GetChangedAreasAsync("lab-web-01", s1.Id, "disk-0", s0.Disks[0].ChangeId, CancellationToken.None);
        await using var before = await lab.OpenSnapshotDiskAsync("lab-web-01", s0.Id, "disk-0", CancellationToken.None);
        await using var after = await lab.OpenSnapshotDiskAsync("lab-web-01", s1.Id, "disk-0", CancellationToken.None);

        // Outside the changed areas the two snapshots are byte-identical; inside, every block differs (fresh random data).
        var hotStart = 256L * LabTestFolder.MiB;
        for (var offset = hotStart; offset < hotStart + (64L * LabTestFolder.MiB); offset += LabEnvironment.BlockSize)
        {
            var changed = areas.Any(a => a.Offset <= offset && offset < a.End);
            var old = await LabTestFolder.ReadAsync(before, offset, LabEnvironment.BlockSize);
            var now = await LabTestFolder.ReadAsync(after, offset, LabEnvironment.BlockSize);
            var same = old.AsSpan().SequenceEqual(now);
            Assert.Equal(!changed, same);
        }
    }

    [Fact]
    public async Task WriteOnceAsync_PoweredOffOrShuttingDownVm_GetsNoWrites()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync("lab-legacy-01", 8 * LabTestFolder.MiB, CancellationToken.None);
        await lab.PowerOffAsync("lab-web-01", CancellationToken.None);
        var shutdown = lab.ShutdownGuestAsync("lab-db-01", TimeSpan.FromSeconds(10), CancellationToken.None);
        await lab.SetWorkloadRateAsync("lab-app-01", 0, CancellationToken.None);
        var snapshots = new Dictionary<string, string>();
        foreach (var vm in new[] { "lab-legacy-01", "lab-web-01", "lab-db-01" })
        {
            snapshots[vm] = (await lab.CreateSnapshotAsync(vm, "s0", CancellationToken.None)).Id;
        }

        var written = await new LabWorkload(lab, seed: 3).WriteOnceAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await shutdown;

        Assert.Equal(0, written);
        foreach (var (vm, id) in snapshots)
        {
            var live = await lab.GetDiskPathAsync(vm, "disk-0", CancellationToken.None);
            await using var frozen = await lab.OpenSnapshotDiskAsync(vm, id, "disk-0", CancellationToken.None);
            Assert.Equal(await LabTestFolder.ContentDigestAsync(frozen), await LabTestFolder.ContentDigestAsync(live));
        }
    }

    [Fact]
    public async Task WriteOnceAsync_ShortSteps_CarryFractionsOfABlock()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync("lab-web-01", LabEnvironment.BlockSize, CancellationToken.None);
        await lab.SetWorkloadRateAsync("lab-db-01", 0, CancellationToken.None);
        await lab.SetWorkloadRateAsync("lab-app-01", 0, CancellationToken.None);
        var workload = new LabWorkload(lab, seed: 4);

        for (var i = 0; i < 10; i++)
        {
            await workload.WriteOnceAsync(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }

        // 2.5 s at one block per second: two blocks, the half carried.
        Assert.Equal(2L * LabEnvironment.BlockSize, workload.BytesWritten);
    }

    [Fact]
    public async Task SetWorkloadRateAsync_NewRate_IsPersistedForOtherInstances()
    {
        var lab = await _folder.OpenAsync();

        await lab.SetWorkloadRateAsync("lab-db-01", 5 * LabTestFolder.MiB, CancellationToken.None);

        var other = await LabEnvironment.OpenOrCreateAsync(_folder.Root);
        Assert.Equal(5 * LabTestFolder.MiB, await other.GetWorkloadRateAsync("lab-db-01", CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_UntilCancelled_WritesThenReturnsQuietly()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync("lab-web-01", 16 * LabTestFolder.MiB, CancellationToken.None);
        var workload = new LabWorkload(lab, seed: 5) { Tick = TimeSpan.FromMilliseconds(10) };
        using var stop = new CancellationTokenSource();

        var run = workload.RunAsync(stop.Token);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (workload.BytesWritten == 0 && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        Assert.True(workload.BytesWritten > 0, "the workload wrote nothing in 5 s");

        await stop.CancelAsync();
        await run;
        var after = workload.BytesWritten;
        await Task.Delay(50);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal(after, workload.BytesWritten);
    }
}
