using System.Diagnostics;
using System.Globalization;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Worker.Tasks;

/// <summary>
/// Runs one <see cref="TaskAssignment"/>: the snapshot (taken once, reported before any byte moves), every disk's changed
/// areas copied with the block engine from its checkpoint, the previous snapshot removed, and each step reported.
/// A failure ends in one <see cref="FailedReport"/>; a cancellation ends quietly (<see cref="OperationCanceledException"/>),
/// its checkpoints kept by the portal for the next attempt.
/// </summary>
internal sealed partial class TaskExecutor(ISourceConnectorFactory connectors, DestinationRoots roots, ITaskReports reports, TextWriter log)
{
    public const string PhaseCopying = "copying";

    private static readonly TimeSpan s_progressEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the task; <paramref name="taskThrottle"/> is its own rate, <paramref name="tenantThrottle"/> the cap all copies share.</summary>
    public async Task RunAsync(TaskAssignment task, Throttle taskThrottle, Throttle tenantThrottle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var clock = Stopwatch.StartNew();
        try
        {
            await RunStepsAsync(task, taskThrottle, tenantThrottle, cancellationToken);
            await Report(reports.CompletedAsync(new CompletedReport(task.TaskId, clock.Elapsed.TotalSeconds), cancellationToken));
            Log(task, string.Create(CultureInfo.InvariantCulture, $"completed in {clock.Elapsed.TotalSeconds:F1} s"));
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the portal, a dropped connection or shutdown: the portal re-queues the task, no report.
            Log(task, "cancelled; its checkpoints stay with the portal");
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new OperationCanceledException("The task was cancelled.", ex, cancellationToken);
        }
        catch (ReportRefusedException ex)
        {
            // The portal did not take a report (gone, or the task is no longer this worker's): stop, nothing to tell.
            Log(task, $"stopped: {ex.Message}");
        }
        catch (Exception ex)
        {
            var (message, retryable) = Describe(ex);
            Log(task, $"failed ({(retryable ? "retryable" : "not retryable")}): {message}");
            try
            {
                await reports.FailedAsync(new FailedReport(task.TaskId, message, retryable), cancellationToken);
            }
            catch (Exception reportError) when (reportError is not OperationCanceledException)
            {
                Log(task, $"the failure could not be reported: {reportError.Message}");
            }
        }
    }

    private async Task RunStepsAsync(TaskAssignment task, Throttle taskThrottle, Throttle tenantThrottle, CancellationToken cancellationToken)
    {
        if (task.Kind == ReplicationTaskKind.SeedLoad)
        {
            await LoadSeedAsync(task, taskThrottle, tenantThrottle, cancellationToken);
            return;
        }

        if (task.Kind == ReplicationTaskKind.SeedIngest)
        {
            await IngestSeedAsync(task, cancellationToken);
            return;
        }

        // Every target is checked before anything is written, the source's snapshot included.
        var disks = task.Disks.Where(d => !d.Done).Select(d => (Disk: d, Target: roots.Resolve(d.Target))).ToList();
        await using var connector = connectors.Create(task.Source);
        var snapshotId = task.SnapshotId ?? await TakeSnapshotAsync(connector, task, cancellationToken);

        // Every disk is planned first, so the VM's total (and its ETA) is known from the first progress report.
        var planned = new List<PlannedDisk>();
        foreach (var (disk, target) in disks)
        {
            var areas = await connector.GetChangedAreasAsync(task.VmId, snapshotId, disk.DiskKey, disk.SinceChangeId, cancellationToken);
            var bytes = areas.Sum(a => a.Length);
            planned.Add(new PlannedDisk(disk, target, areas, new DiskProgress(disk.DiskKey, bytes)));
            await Report(reports.DiskPlannedAsync(new DiskPlannedReport(task.TaskId, disk.DiskKey, bytes), cancellationToken));
        }

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progressLoop = ReportProgressAsync(task, [.. planned.Select(p => p.Progress)], stopProgress.Token);
        try
        {
            foreach (var disk in planned)
            {
                await CopyDiskAsync(connector, task, snapshotId, disk, taskThrottle, tenantThrottle, cancellationToken);
            }
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progressLoop;
        }

        if (task.PreviousSnapshotId is { } previous)
        {
            try
            {
                await connector.RemoveSnapshotAsync(task.VmId, previous, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                // The destination already equals the new snapshot; a stray old snapshot is for the readiness checks to show.
                Log(task, $"the previous snapshot {previous} could not be removed: {ex.Message}");
            }
        }
    }

    private async Task<string> TakeSnapshotAsync(ISourceConnector connector, TaskAssignment task, CancellationToken cancellationToken)
    {
        if (task.Kind is ReplicationTaskKind.Baseline or ReplicationTaskKind.SeedLoad)
        {
            try
            {
                await connector.EnableChangeTrackingAsync(task.VmId, cancellationToken);
            }
            catch (ConnectorException ex) when (ex.Kind is ConnectorErrorKind.NotSupported or ConnectorErrorKind.Forbidden or ConnectorErrorKind.InvalidRequest or ConnectorErrorKind.Conflict)
            {
                // Without tracking the baseline still works; later cycles fall back to full copies.
                Log(task, $"changed-block tracking could not be turned on: {ex.Message}");
            }
        }

        var snapshot = await connector.CreateSnapshotAsync(task.VmId, task.SnapshotName, cancellationToken);

        // Awaited: the portal stores the snapshot before any byte is copied, so a later attempt reuses it instead of taking another.
        var changeIds = snapshot.Disks.ToDictionary(d => d.DiskKey, d => d.ChangeId, StringComparer.Ordinal);
        await Report(reports.SnapshotTakenAsync(new SnapshotReport(task.TaskId, snapshot.Id, changeIds), cancellationToken));
        Log(task, $"took snapshot {snapshot.Id}");
        return snapshot.Id;
    }

    private async Task CopyDiskAsync(ISourceConnector connector, TaskAssignment task, string snapshotId, PlannedDisk planned, Throttle taskThrottle, Throttle tenantThrottle, CancellationToken cancellationToken)
    {
        var disk = planned.Disk;
        IBlockDevice? opened = await connector.OpenSnapshotDiskAsync(task.VmId, snapshotId, disk.DiskKey, cancellationToken);
        try
        {
            var plan = CopyPlan.Changed(planned.Areas);
            var planId = await BlockCopier.PlanIdAsync(opened, plan, cancellationToken);
            CopyCheckpoint? resume = null;
            if (disk.CheckpointPlanId is { } stored)
            {
                if (stored == planId)
                {
                    resume = new CopyCheckpoint(stored, disk.CheckpointOffset);
                    Log(task, $"{disk.DiskKey}: resuming at offset {disk.CheckpointOffset}");
                }
                else
                {
                    // Another plan's offset says nothing about this plan's ranges: skipping by it could leave data out.
                    Log(task, $"{disk.DiskKey}: the stored checkpoint belongs to another copy plan; copying from the start");
                }
            }

            if (planned.Target.IsFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(planned.Target.Location)!);
            }

            // A file created here reads as zeroes (the device says so), so holes are not written; an existing one,
            // perhaps half-written by an earlier attempt, is not assumed to.
            var targetOptions = new BlockDeviceOpenOptions { Writable = true, CreateWithSize = planned.Target.IsFile ? disk.CapacityBytes : null };
            var request = new CopyRequest
            {
                Plan = plan,
                Options = Options(task, taskThrottle, tenantThrottle),
                ResumeFrom = resume,
                OnCheckpoint = async (point, token) =>
                {
                    var done = BytesBelow(planned.Areas, point.Offset);
                    await Report(reports.CheckpointAsync(new CheckpointReport(task.TaskId, disk.DiskKey, point.PlanId, point.Offset, done), token));
                },
                Progress = planned.Progress,
            };

            var result = await BlockCopier.CopyAsync(
                async token => Interlocked.Exchange(ref opened, null) ?? await connector.OpenSnapshotDiskAsync(task.VmId, snapshotId, disk.DiskKey, token),
                async token => await BlockDevices.OpenAsync(planned.Target.Location, targetOptions, token),
                request,
                cancellationToken);

            if (result.FirstMismatchOffset is { } mismatch)
            {
                throw new TaskFailedException($"Verification failed: disk {disk.DiskKey}'s target differs from the snapshot at offset {mismatch}.", retryable: false);
            }

            planned.Progress.Report(new CopyProgress(planned.Progress.BytesTotal, planned.Progress.BytesTotal, 0, TimeSpan.Zero));
            await Report(reports.DiskDoneAsync(
                new DiskDoneReport(task.TaskId, disk.DiskKey, planned.Progress.BytesTotal, result.BytesRead, result.BytesWritten, result.Verified),
                cancellationToken));
            Log(task, $"{disk.DiskKey}: done, {result.BytesWritten} bytes written of {planned.Progress.BytesTotal} planned{(result.Verified ? ", verified" : "")}");
        }
        finally
        {
            // Only when the copy never took it (it failed before opening the devices).
            if (Interlocked.Exchange(ref opened, null) is { } unused)
            {
                await unused.DisposeAsync();
            }
        }
    }

    /// <summary>The engine settings of this copy: the portal's tuning (defaults where it sent none) and both throttles.</summary>
    internal static CopyOptions Options(TaskAssignment task, Throttle taskThrottle, Throttle tenantThrottle)
    {
        var defaults = new CopyOptions();
        var tuning = task.Tuning;
        var rangeSize = tuning.RangeSize > 0 ? tuning.RangeSize : defaults.RangeSize;
        return defaults with
        {
            // A range smaller than a request would be one request anyway: small ranges (frequent checkpoints) get small requests.
            RequestSize = (int)Math.Min(defaults.RequestSize, rangeSize),
            RangeSize = rangeSize,
            Workers = tuning.Workers > 0 ? tuning.Workers : defaults.Workers,
            CheckpointEvery = tuning.CheckpointEverySeconds > 0 ? TimeSpan.FromSeconds(tuning.CheckpointEverySeconds) : defaults.CheckpointEvery,
            CheckpointEveryBytes = tuning.CheckpointEveryBytes > 0 ? tuning.CheckpointEveryBytes : defaults.CheckpointEveryBytes,
            Verify = task.Verify,
            Throttle = taskThrottle,
            SharedThrottle = tenantThrottle,
        };
    }

    /// <summary>Sends every planned disk's progress about every 250 ms until stopped; a lost progress report is not fatal.</summary>
    private async Task ReportProgressAsync(TaskAssignment task, IReadOnlyList<DiskProgress> disks, CancellationToken stop, string phase = PhaseCopying)
    {
        using var timer = new PeriodicTimer(s_progressEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var report = new ProgressReport(task.TaskId, phase, [.. disks.Select(d => d.Current)]);
                try
                {
                    await reports.ProgressAsync(report, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log(task, $"a progress report was not sent: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static long BytesBelow(IReadOnlyList<ByteRange> areas, long offset) =>
        areas.Sum(a => Math.Clamp(offset - a.Offset, 0, a.Length));

    /// <summary>Awaits a report; a failure to deliver it becomes <see cref="ReportRefusedException"/> (cancellation stays cancellation).</summary>
    private static async Task Report(Task report)
    {
        try
        {
            await report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ReportRefusedException($"the portal did not take a report ({ex.Message})", ex);
        }
    }

    /// <summary>A plain message and whether trying again may help; never a credential (connector messages carry none).</summary>
    internal static (string Message, bool Retryable) Describe(Exception ex) => ex switch
    {
        TaskFailedException failed => (failed.Message, failed.Retryable),
        // A device that fails verification, or a key that does not open it, fails the same way again.
        Replication.Seed.SeedVerificationException or Replication.Seed.SeedKeyException => (ex.Message, false),
        ConnectorException connector => (connector.Message, connector.IsTransient),
        BlockDeviceException device => (device.Message, device.IsTransient),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => (ex.Message, false),
        IOException or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException => (ex.Message, true),
        // The copier's refusals (a target smaller than the disk, a source that changed size): the same again fails the same way.
        InvalidOperationException or ArgumentException => (ex.Message, false),
        _ => ($"Unexpected {ex.GetType().Name}: {ex.Message}", false),
    };

    private void Log(TaskAssignment task, string message) =>
        log.WriteLine($"task {task.TaskId} ({task.VmName}): {message}");

    private sealed record PlannedDisk(DiskAssignment Disk, DiskTarget Target, IReadOnlyList<ByteRange> Areas, DiskProgress Progress);

    private sealed class ReportRefusedException(string message, Exception inner) : Exception(message, inner);
}

/// <summary>One disk's latest progress, written by the copier's threads and read by the progress loop.</summary>
/// <summary>A total of 0 is not known yet: the engine's own total is used (a seed write learns it from its plan).</summary>
internal sealed class DiskProgress(string diskKey, long bytesTotal) : IProgress<CopyProgress>
{
    private volatile DiskProgressReport _current = new(diskKey, 0, bytesTotal, 0);

    public long BytesTotal { get; } = bytesTotal;

    public DiskProgressReport Current => _current;

    public void Report(CopyProgress value) =>
        _current = new DiskProgressReport(_current.DiskKey, value.BytesDone, BytesTotal > 0 ? BytesTotal : value.BytesTotal, value.BytesPerSecond);
}
