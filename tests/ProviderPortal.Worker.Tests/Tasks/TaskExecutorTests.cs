using System.Diagnostics;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Tests.Tasks;

/// <summary>Whole tasks against the real lab connector and real files: snapshots, changed areas, checkpoints, the engine.</summary>
public sealed class TaskExecutorTests : IDisposable
{
    private const string Vm = "lab-web-01";
    private const string Disk = "disk-0";
    private const int MiB = LabFolder.MiB;

    private readonly LabFolder _folder = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task BaselineThenDelta_WorkloadWriting_TargetEqualsEachSnapshotAndTheDeltaCopiesOnlyChanges()
    {
        var lab = await _folder.OpenAsync();
        await lab.SetWorkloadRateAsync(Vm, 4 * MiB, CancellationToken.None);
        var workload = new LabWorkload(lab, seed: 21) { Tick = TimeSpan.FromMilliseconds(10) };
        using var stop = new CancellationTokenSource();
        var guests = Task.Run(() => workload.RunAsync(stop.Token));
        try
        {
            // Baseline: the worker takes S0, reports it, copies every allocated area of it.
            var baseline = _folder.Baseline(Vm, await _folder.DiskAsync(Vm, Disk));
            var first = new RecordingReports();
            await Executor(first).RunAsync(baseline, new Throttle(), new Throttle(), CancellationToken.None);

            Assert.Single(first.Of<CompletedReport>());
            var s0 = Assert.Single(first.Of<SnapshotReport>());
            var target = _folder.TargetOf(Vm, Disk);
            Assert.Equal(await _folder.SnapshotSha256Async(Vm, s0.SnapshotId, Disk), await LabFolder.Sha256Async(target));
            var baselineDone = Assert.Single(first.Of<DiskDoneReport>());
            Assert.True(baselineDone.Verified);
            Assert.True(baselineDone.BytesTotal >= 4 * MiB, $"a baseline of {baselineDone.BytesTotal} bytes");

            // Delta: S1, the areas changed since S0's change id, S0 removed once the target equals S1.
            await WaitForWritesAsync(workload, workload.BytesWritten);
            var delta = LabFolder.Assignment(Vm, [await _folder.DiskAsync(Vm, Disk, sinceChangeId: s0.ChangeIds[Disk])],
                ReplicationTaskKind.Delta, previousSnapshotId: s0.SnapshotId, source: _folder.Settings);
            var second = new RecordingReports();
            await Executor(second).RunAsync(delta, new Throttle(), new Throttle(), CancellationToken.None);

            Assert.Single(second.Of<CompletedReport>());
            var s1 = Assert.Single(second.Of<SnapshotReport>());
            Assert.Equal(await _folder.SnapshotSha256Async(Vm, s1.SnapshotId, Disk), await LabFolder.Sha256Async(target));
            var planned = Assert.Single(second.Of<DiskPlannedReport>());
            var done = Assert.Single(second.Of<DiskDoneReport>());
            // Only the changed areas: at most their bytes are written, and they are a small part of the disk.
            Assert.InRange(done.BytesWritten, 1, planned.BytesTotal);
            Assert.InRange(planned.BytesTotal, 1, 64L * MiB);
            var snapshots = (await lab.GetVmAsync(Vm, CancellationToken.None)).Snapshots.Select(s => s.Id).ToList();
            Assert.Equal([s1.SnapshotId], snapshots);
        }
        finally
        {
            await stop.CancelAsync();
            await guests;
        }
    }

    [Fact]
    public async Task Resume_CancelledAfterFirstCheckpoint_SecondAttemptReusesSnapshotAndCopiesOnlyTheRest()
    {
        await _folder.OpenAsync();
        // 64 KiB ranges, a checkpoint after each, one writer, 1 MiB/s: the 4 MiB copy takes seconds, cancelled after its first range.
        var tuning = new CopyTuning(RangeSize: 64 * 1024, Workers: 1, CheckpointEverySeconds: 0.01, CheckpointEveryBytes: 64 * 1024);
        var task = LabFolder.Assignment(Vm, [await _folder.DiskAsync(Vm, Disk)], throttle: MiB, tuning: tuning, source: _folder.Settings);
        using var cancel = new CancellationTokenSource();
        var first = new RecordingReports { OnCheckpoint = _ => cancel.CancelAsync() };
        var firstThrottle = new Throttle(MiB);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executor(first).RunAsync(task, firstThrottle, new Throttle(), cancel.Token));

        Assert.Empty(first.Of<FailedReport>());
        Assert.Empty(first.Of<CompletedReport>());
        var snapshot = Assert.Single(first.Of<SnapshotReport>());
        var checkpoint = Assert.Single(first.Of<CheckpointReport>());
        var total = Assert.Single(first.Of<DiskPlannedReport>()).BytesTotal;
        Assert.InRange(checkpoint.Offset, 1, (await _folder.DiskAsync(Vm, Disk)).CapacityBytes - 1);

        // The portal stored the snapshot and the checkpoint: the next attempt gets both.
        var resumed = task with
        {
            SnapshotId = snapshot.SnapshotId,
            ThrottleBytesPerSecond = null,
            Disks = [task.Disks[0] with { CheckpointPlanId = checkpoint.CopyPlanId, CheckpointOffset = checkpoint.Offset }],
        };
        var second = new RecordingReports();
        await Executor(second).RunAsync(resumed, new Throttle(), new Throttle(), CancellationToken.None);

        Assert.Single(second.Of<CompletedReport>());
        Assert.Empty(second.Of<SnapshotReport>());
        Assert.Single((await (await _folder.OpenAsync()).GetVmAsync(Vm, CancellationToken.None)).Snapshots);
        var done = Assert.Single(second.Of<DiskDoneReport>());
        // Attempt 2 reads exactly what lies past the checkpoint, and attempt 1 got at most one range past it (the most re-sent).
        Assert.Equal(total - checkpoint.BytesDone, done.BytesRead);
        Assert.InRange(done.BytesWritten, 1, total - checkpoint.BytesDone);
        Assert.InRange(firstThrottle.BytesAdmitted, 1, checkpoint.BytesDone + tuning.RangeSize);
        Assert.Equal(await _folder.SnapshotSha256Async(Vm, snapshot.SnapshotId, Disk), await LabFolder.Sha256Async(_folder.TargetOf(Vm, Disk)));
    }

    [Fact]
    public async Task CheckpointOfAnotherPlan_CopiesFromTheStartInsteadOfSkipping()
    {
        await _folder.OpenAsync();
        var task = _folder.Baseline(Vm, await _folder.DiskAsync(Vm, Disk));
        var stale = task with { Disks = [task.Disks[0] with { CheckpointPlanId = "not-this-plan", CheckpointOffset = 512L * MiB }] };
        var reports = new RecordingReports();

        await Executor(reports).RunAsync(stale, new Throttle(), new Throttle(), CancellationToken.None);

        var done = Assert.Single(reports.Of<DiskDoneReport>());
        Assert.Equal(done.BytesTotal, done.BytesRead);
        var snapshot = Assert.Single(reports.Of<SnapshotReport>());
        Assert.Equal(await _folder.SnapshotSha256Async(Vm, snapshot.SnapshotId, Disk), await LabFolder.Sha256Async(_folder.TargetOf(Vm, Disk)));
        Assert.Contains("another copy plan", _log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("outside")]
    [InlineData("dot-dot-out")]
    [InlineData("dot-dot-in")]
    [InlineData("relative")]
    [InlineData("symlink-out")]
    public async Task TargetNotUnderARoot_FailsNotRetryable_NothingCreatedNoSnapshot(string kind)
    {
        var lab = await _folder.OpenAsync();
        var outside = Path.Combine(_folder.Root, "elsewhere");
        Directory.CreateDirectory(_folder.DestinationRoot);
        Directory.CreateDirectory(outside);
        var target = kind switch
        {
            "outside" => Path.Combine(outside, "disk.img"),
            "dot-dot-out" => _folder.DestinationRoot + "/../../elsewhere/disk.img",
            "dot-dot-in" => _folder.DestinationRoot + "/vm/../disk.img",
            "relative" => "tenant-a/disk.img",
            _ => LinkOut(),
        };
        var reports = new RecordingReports();

        await Executor(reports).RunAsync(_folder.Baseline(Vm, await _folder.DiskAsync(Vm, Disk, target: target)), new Throttle(), new Throttle(), CancellationToken.None);

        var failed = Assert.Single(reports.Of<FailedReport>());
        Assert.False(failed.Retryable);
        Assert.Contains("nothing was written", failed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_folder.DestinationRoot, "*", SearchOption.AllDirectories));
        Assert.Empty(reports.Of<SnapshotReport>());
        Assert.Empty((await lab.GetVmAsync(Vm, CancellationToken.None)).Snapshots);

        string LinkOut()
        {
            Directory.CreateSymbolicLink(Path.Combine(_folder.DestinationRoot, "escape"), outside);
            return Path.Combine(_folder.DestinationRoot, "escape", "vm", "disk.img");
        }
    }

    [Fact]
    public async Task TargetUnderARootThroughASymlinkInside_IsAllowed()
    {
        await _folder.OpenAsync();
        var inside = Path.Combine(_folder.DestinationRoot, "real");
        Directory.CreateDirectory(inside);
        Directory.CreateSymbolicLink(Path.Combine(_folder.DestinationRoot, "alias"), inside);
        var reports = new RecordingReports();

        await Executor(reports).RunAsync(
            _folder.Baseline(Vm, await _folder.DiskAsync(Vm, Disk, target: Path.Combine(_folder.DestinationRoot, "alias", "disk.img"))),
            new Throttle(), new Throttle(), CancellationToken.None);

        Assert.Single(reports.Of<CompletedReport>());
        Assert.True(File.Exists(Path.Combine(inside, "disk.img")));
    }

    [Fact]
    public async Task UnknownVm_FailsNotRetryable_WithThePlatformsMessage()
    {
        await _folder.OpenAsync();
        var disk = await _folder.DiskAsync(Vm, Disk);
        var reports = new RecordingReports();

        await Executor(reports).RunAsync(_folder.Baseline("lab-nope-99", disk), new Throttle(), new Throttle(), CancellationToken.None);

        var failed = Assert.Single(reports.Of<FailedReport>());
        Assert.False(failed.Retryable);
        Assert.Contains("lab-nope-99", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(disk.Target));
    }

    private TaskExecutor Executor(RecordingReports reports) => new(_folder.Connectors, _folder.Roots, reports, TextWriter.Synchronized(_log));

    /// <summary>Waits (bounded) until the workload wrote more than <paramref name="after"/> bytes, so the delta has real changes.</summary>
    private static async Task WaitForWritesAsync(LabWorkload workload, long after)
    {
        var clock = Stopwatch.StartNew();
        while (workload.BytesWritten <= after && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        Assert.True(workload.BytesWritten > after, "the workload wrote nothing in 5 s");
    }
}
