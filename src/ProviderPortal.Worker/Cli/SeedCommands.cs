using System.CommandLine;
using System.Globalization;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Seed;

namespace ProviderPortal.Worker.Cli;

/// <summary>
/// <c>seed-write SOURCE DEVICE_FOLDER --key-file F</c> puts a disk's allocated data on a seed device, encrypted;
/// <c>seed-ingest DEVICE_FOLDER TARGET --key-file F</c> verifies every chunk and only then writes the disk into TARGET.
/// The key file holds the order's key (64 hex characters); it is never printed and never written to the device.
/// </summary>
internal static class SeedCommands
{
    public static Command CreateWrite(TextWriter output, TextWriter errors)
    {
        var source = WorkerCommands.Location("source", "The disk to put on the device (a snapshot's disk).");
        var device = new Argument<string>("device-folder") { Description = "The folder the seed device is mounted at." };
        var keyFile = KeyFile();
        var diskId = new Option<string?>("--disk-id") { Description = "The disk's name on the device (kept encrypted); default: the source's file or export name." };
        var nextDevices = new Option<string[]>("--next-device") { Description = "Another device folder the disk continues on when the previous one is full (repeat for more).", AllowMultipleArgumentsPerToken = false };
        var sourceId = new Option<string?>("--source-id") { Description = "What the source is (its snapshot's id): recorded with the disk; a resumed write must give the same." };
        var capacity = new Option<long?>("--capacity") { Description = "Bytes of chunk files the disk may put on each device (default: no limit)." };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Bytes of data per chunk.", DefaultValueFactory = _ => new SeedWriteOptions().ChunkSize };
        var throttle = new Option<double?>("--throttle") { Description = "At most this many megabits per second (Mbit/s) written to the device." };
        var progress = new Option<bool>("--progress") { Description = "Print progress (done, rate, ETA) to standard error." };
        var checkpointEvery = new Option<double>("--checkpoint-every")
        {
            Description = "Seconds between manifest saves (besides one per 64 chunks); a killed write resumes from the last one.",
            DefaultValueFactory = _ => new SeedWriteOptions().CheckpointEvery.TotalSeconds,
        };
        var workers = Workers(new SeedWriteOptions().Workers);
        var connections = WorkerCommands.Connections();
        var timeout = WorkerCommands.Timeout();
        var command = new Command("seed-write", "Write SOURCE's allocated data onto a seed device as encrypted chunks with an authenticated manifest; a stopped write resumes when run again.")
        {
            source, device, keyFile, diskId, sourceId, nextDevices, capacity, chunkSize, throttle, progress, checkpointEvery, workers, connections, timeout,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var sourceLocation = parse.GetValue(source)!;
            var folders = new[] { parse.GetValue(device)! }.Concat(parse.GetValue(nextDevices) ?? []).ToList();
            var id = parse.GetValue(diskId) ?? DefaultDiskId(sourceLocation);
            if (parse.GetValue(capacity) is <= 0 || parse.GetValue(chunkSize) < 64 * 1024 || parse.GetValue(throttle) is <= 0 || parse.GetValue(checkpointEvery) <= 0 || parse.GetValue(workers) < 1 || string.IsNullOrWhiteSpace(id))
            {
                await errors.WriteLineAsync("error: --capacity, --throttle, --checkpoint-every and --workers must be positive, --chunk-size at least 65536, --disk-id not empty.");
                return WorkerCommands.ExitUsage;
            }

            using var key = await ReadKeyAsync(parse.GetValue(keyFile)!, errors);
            if (key is null)
            {
                return WorkerCommands.ExitUsage;
            }

            var options = new SeedWriteOptions
            {
                SourceId = parse.GetValue(sourceId),
                ChunkSize = parse.GetValue(chunkSize),
                CheckpointEvery = TimeSpan.FromSeconds(parse.GetValue(checkpointEvery)),
                Workers = parse.GetValue(workers),
                Throttle = parse.GetValue(throttle) is { } mbps ? new Throttle((long)(mbps * 1_000_000 / 8)) : null,
                Progress = parse.GetValue(progress) ? new CopyCommand.ProgressPrinter(errors) : null,
            };
            var openOptions = new BlockDeviceOpenOptions { Connections = parse.GetValue(connections), Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };
            try
            {
                await using var disk = await BlockDevices.OpenAsync(sourceLocation, openOptions, cancellationToken);
                var result = await SeedWriter.WriteAsync(disk, id, [.. folders.Select(f => new SeedDevice(f, parse.GetValue(capacity)))], key, options, cancellationToken);
                var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"seed-written disk {result.DiskId}: {result.ChunkCount} chunks ({result.ChunksWritten} written, {result.ChunksSkipped} already on the device, {result.ZeroChunks} zero), " +
                    $"read {result.BytesRead}, written {result.BytesWritten} bytes to {result.Parts} device(s); {seconds:F2} s, {result.DataBytes / 1024.0 / 1024.0 / seconds:F0} MiB/s"));
                return WorkerCommands.ExitOk;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await errors.WriteLineAsync("cancelled; the chunks written so far are recorded on the device: run the same command again to resume.");
                return WorkerCommands.ExitCancelled;
            }
            catch (Exception ex) when (IsPlainError(ex))
            {
                await errors.WriteLineAsync($"error: {ex.Message}");
                return WorkerCommands.ExitFailed;
            }
        });
        return command;
    }

    public static Command CreateIngest(TextWriter output, TextWriter errors)
    {
        var device = new Argument<string>("device-folder") { Description = "The folder the seed device is mounted at." };
        var target = WorkerCommands.Location("target", "Where the disk goes; a file is created with the disk's size when missing (and removed again if the ingest is refused).");
        var keyFile = KeyFile();
        var diskId = new Option<string?>("--disk-id") { Description = "Which disk to ingest when the device holds several." };
        var moreDevices = new Option<string[]>("--next-device") { Description = "Another device folder the disk continues on (repeat for more)." };
        var progress = new Option<bool>("--progress") { Description = "Print progress to standard error: verification is the first half, writing the second." };
        var connections = WorkerCommands.Connections();
        var timeout = WorkerCommands.Timeout();
        var command = new Command("seed-ingest", "Verify every chunk of a disk on a seed device, then write it into TARGET; refused (and TARGET untouched) on any tampering or a wrong key.")
        {
            device, target, keyFile, diskId, moreDevices, progress, connections, timeout,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var key = await ReadKeyAsync(parse.GetValue(keyFile)!, errors);
            if (key is null)
            {
                return WorkerCommands.ExitUsage;
            }

            var folders = new[] { parse.GetValue(device)! }.Concat(parse.GetValue(moreDevices) ?? []).ToList();
            var targetLocation = parse.GetValue(target)!;
            var created = false;
            try
            {
                var disks = SeedIngester.ListDisks(folders, key);
                var id = parse.GetValue(diskId);
                var size = disks.FirstOrDefault(d => d.DiskId == id || (id is null && disks.Count == 1))?.DiskSize
                    ?? throw new ArgumentException(disks.Count == 0 ? "The seed device holds no disk."
                        : id is null ? $"The seed device holds {disks.Count} disks ({string.Join(", ", disks.Select(d => d.DiskId))}): name one with --disk-id."
                        : $"The seed device holds no disk {id} (it holds: {string.Join(", ", disks.Select(d => d.DiskId))}).");
                created = !BlockDevices.IsNbd(targetLocation) && !File.Exists(targetLocation);
                var options = new BlockDeviceOpenOptions
                {
                    Writable = true,
                    CreateWithSize = size,
                    Connections = parse.GetValue(connections),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                };
                SeedIngestResult result;
                await using (var disk = await BlockDevices.OpenAsync(targetLocation, options, cancellationToken))
                {
                    var ingest = new SeedIngestOptions { Progress = parse.GetValue(progress) ? new CopyCommand.ProgressPrinter(errors) : null };
                    result = await SeedIngester.IngestAsync(folders, id, disk, key, ingest, cancellationToken);
                }

                created = false;
                var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"ingested disk {result.DiskId}: {result.ChunksVerified} chunks verified, written {result.BytesWritten} (+{result.BytesZeroed} as zeroes) of {result.DiskSize} bytes; " +
                    $"{seconds:F2} s, {result.BytesWritten / 1024.0 / 1024.0 / seconds:F0} MiB/s"));
                return WorkerCommands.ExitOk;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await errors.WriteLineAsync("cancelled; the target may be partly written: run the same command again.");
                return WorkerCommands.ExitCancelled;
            }
            catch (SeedVerificationException ex)
            {
                await errors.WriteLineAsync($"error: the seed device was refused, nothing was written: {ex.Message}");
                return WorkerCommands.ExitFailed;
            }
            catch (Exception ex) when (IsPlainError(ex))
            {
                await errors.WriteLineAsync($"error: {ex.Message}");
                return WorkerCommands.ExitFailed;
            }
            finally
            {
                // A target file this command created for an ingest that was refused goes again: nothing is left behind.
                if (created && File.Exists(targetLocation))
                {
                    File.Delete(targetLocation);
                }
            }
        });
        return command;
    }

    private static Option<int> Workers(int defaultValue) => new("--workers")
    {
        Description = "Chunks handled at once.",
        DefaultValueFactory = _ => defaultValue,
    };

    private static Option<FileInfo> KeyFile() => new("--key-file")
    {
        Description = "The order's seed key: a file of 64 hex characters (or base64 of 32 bytes, or 32 raw bytes). Never printed, never written to the device.",
        Required = true,
    };

    /// <summary>The key, or null after an error saying why (the file named, never its content).</summary>
    private static async Task<SeedKey?> ReadKeyAsync(FileInfo file, TextWriter errors)
    {
        try
        {
            return SeedKey.ReadFile(file.FullName);
        }
        catch (SeedKeyException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return null;
        }
    }

    private static string DefaultDiskId(string location)
    {
        var name = Path.GetFileName(location.Split('?')[0].TrimEnd('/'));
        return string.IsNullOrEmpty(name) ? "disk" : name;
    }

    private static bool IsPlainError(Exception ex) =>
        ex is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException;
}
