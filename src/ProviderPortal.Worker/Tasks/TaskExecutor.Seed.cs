using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Seed;

namespace ProviderPortal.Worker.Tasks;

/// <summary>
/// A plan's baseline by seed device. The load takes the VM's snapshot (the seed snapshot, kept as the base of the first
/// delta) and writes each disk onto the devices as encrypted chunks; a new attempt resumes from the devices' manifests.
/// The ingest checks the devices hold this VM's disks from that very snapshot, verifies every chunk, then writes each
/// disk into its destination; a device that fails verification writes nothing and fails for good.
/// </summary>
internal sealed partial class TaskExecutor
{
    public const string PhaseSeedLoading = "loading the seed device";

    public const string PhaseSeedIngesting = "ingesting the seed device";

    private async Task LoadSeedAsync(TaskAssignment task, Throttle taskThrottle, Throttle tenantThrottle, CancellationToken cancellationToken)
    {
        var seed = RequireDevices(task);
        await using var connector = connectors.Create(task.Source);
        var snapshotId = task.SnapshotId ?? await TakeSnapshotAsync(connector, task, cancellationToken);
        using var key = SeedKey.FromBytes(seed.Key);
        var devices = seed.Folders.Select(f => new SeedDevice(f, seed.DeviceCapacityBytes)).ToList();

        foreach (var disk in task.Disks.Where(d => !d.Done))
        {
            var progress = new DiskProgress(disk.DiskKey, 0);
            using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progressLoop = ReportProgressAsync(task, [progress], stopProgress.Token, PhaseSeedLoading);
            SeedWriteResult result;
            try
            {
                await using var source = await connector.OpenSnapshotDiskAsync(task.VmId, snapshotId, disk.DiskKey, cancellationToken);
                result = await SeedWriter.WriteAsync(source, SeedAssignment.DiskId(task.VmId, disk.DiskKey), devices, key, new SeedWriteOptions
                {
                    SourceId = snapshotId,
                    Throttle = taskThrottle,
                    SharedThrottle = tenantThrottle,
                    Progress = progress,
                    OnCheckpoint = async (point, token) => await Report(reports.CheckpointAsync(
                        new CheckpointReport(task.TaskId, disk.DiskKey, "seed", point.ChunksRecorded, point.BytesRecorded), token)),
                }, cancellationToken);
            }
            finally
            {
                await stopProgress.CancelAsync();
                await progressLoop;
            }

            await Report(reports.DiskDoneAsync(new DiskDoneReport(task.TaskId, disk.DiskKey, result.DataBytes, result.BytesRead, result.BytesWritten, Verified: false), cancellationToken));
            Log(task, $"{disk.DiskKey}: on the seed devices, {result.ChunksWritten} chunks written, {result.ChunksSkipped} already there, {result.Parts} device(s)");
        }
    }

    private async Task IngestSeedAsync(TaskAssignment task, CancellationToken cancellationToken)
    {
        var seed = RequireDevices(task);
        using var key = SeedKey.FromBytes(seed.Key);
        var onDevices = SeedIngester.ListDisks(seed.Folders, key).ToDictionary(d => d.DiskId, StringComparer.Ordinal);
        var disks = task.Disks.Where(d => !d.Done).Select(d => (Disk: d, Target: roots.Resolve(d.Target))).ToList();
        foreach (var (disk, _) in disks)
        {
            if (!onDevices.TryGetValue(SeedAssignment.DiskId(task.VmId, disk.DiskKey), out var found))
            {
                throw new TaskFailedException($"The seed devices do not hold disk {disk.DiskKey} of {task.VmName}.", retryable: false);
            }

            if (task.SnapshotId is { } loaded && found.SourceId != loaded)
            {
                throw new TaskFailedException(
                    $"The seed devices hold disk {disk.DiskKey} of {task.VmName} from snapshot {found.SourceId}, not from {loaded}, the one the portal recorded when they were loaded.",
                    retryable: false);
            }
        }

        foreach (var (disk, target) in disks)
        {
            var isNew = target.IsFile && !File.Exists(target.Location);
            if (target.IsFile)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target.Location)!);
            }

            var progress = new DiskProgress(disk.DiskKey, 0);
            using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progressLoop = ReportProgressAsync(task, [progress], stopProgress.Token, PhaseSeedIngesting);
            SeedIngestResult result;
            try
            {
                var options = new BlockDeviceOpenOptions { Writable = true, CreateWithSize = target.IsFile ? disk.CapacityBytes : null };
                await using var destination = await BlockDevices.OpenAsync(target.Location, options, cancellationToken);
                result = await SeedIngester.IngestAsync(
                    seed.Folders, SeedAssignment.DiskId(task.VmId, disk.DiskKey), destination, key,
                    new SeedIngestOptions { TargetIsZero = isNew, Progress = progress }, cancellationToken);
            }
            finally
            {
                await stopProgress.CancelAsync();
                await progressLoop;
            }

            await Report(reports.DiskDoneAsync(
                new DiskDoneReport(task.TaskId, disk.DiskKey, result.BytesWritten, 0, result.BytesWritten, Verified: true, SeedChunks: result.ChunksVerified),
                cancellationToken));
            Log(task, $"{disk.DiskKey}: ingested, {result.ChunksVerified} chunks verified, {result.BytesWritten} bytes written");
        }
    }

    /// <summary>The devices this task names, each folder present where this worker runs (a device not mounted fails plainly).</summary>
    private static SeedAssignment RequireDevices(TaskAssignment task)
    {
        var seed = task.Seed ?? throw new TaskFailedException("The portal sent no seed devices with this task.", retryable: false);
        foreach (var folder in seed.Folders)
        {
            if (!Directory.Exists(folder))
            {
                throw new TaskFailedException($"The seed device folder {folder} does not exist on the worker's machine (is the device mounted there?).", retryable: false);
            }
        }

        return seed;
    }
}
