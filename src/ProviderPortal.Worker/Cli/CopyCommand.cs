using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Worker.Cli;

/// <summary><c>copy SOURCE TARGET</c>: a full copy of the allocated data, or only what a dirty bitmap marks.</summary>
internal static class CopyCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var source = WorkerCommands.Location("source", "What to copy from.");
        var target = WorkerCommands.Location("target", "Where to copy to; a file is created with the source's size when missing.");
        var bitmap = new Option<string?>("--changed-from-bitmap") { Description = "Copy only what the source's dirty bitmap NAME marks (qemu:dirty-bitmap:NAME)." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Persist progress in FILE and resume from it when it exists; removed when the copy completes." };
        var throttle = new Option<double?>("--throttle") { Description = "At most this many megabits per second (Mbit/s) written." };
        var verify = new Option<bool>("--verify") { Description = "Hash the copied ranges on both sides afterwards and fail on a difference." };
        var progress = new Option<bool>("--progress") { Description = "Print progress (done, rate, ETA) to standard error." };
        var targetIsZero = new Option<bool>("--target-is-zero") { Description = "The target is known to read as zeroes: holes and zero runs are not written." };
        var requestSize = new Option<int>("--request-size") { Description = "Bytes per request.", DefaultValueFactory = _ => new CopyOptions().RequestSize };
        var rangeSize = new Option<long>("--range-size") { Description = "Bytes a worker takes at a time; a checkpoint only moves past whole ranges.", DefaultValueFactory = _ => new CopyOptions().RangeSize };
        var checkpointEvery = new Option<double>("--checkpoint-every") { Description = "Seconds between checkpoints (besides one per GiB copied).", DefaultValueFactory = _ => new CopyOptions().CheckpointEvery.TotalSeconds };
        var flushEvery = new Option<long>("--flush-every") { Description = "Flush the target in the background after this many bytes written, so the final flush is short.", DefaultValueFactory = _ => new CopyOptions().FlushEveryBytes };
        var noFlush = new Option<bool>("--no-flush") { Description = "Do not flush the target: the copy may end before its data is durable (as nbdcopy without --flush). Not with --checkpoint." };
        var connections = WorkerCommands.Connections();
        var timeout = WorkerCommands.Timeout();

        var command = new Command("copy", "Copy SOURCE to TARGET; holes are skipped, a killed copy resumes from --checkpoint.")
        {
            source, target, bitmap, checkpoint, throttle, verify, progress, targetIsZero, requestSize, rangeSize, checkpointEvery, flushEvery, noFlush, connections, timeout,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new CopySettings(
                parse.GetValue(source)!, parse.GetValue(target)!, parse.GetValue(bitmap), parse.GetValue(checkpoint),
                parse.GetValue(throttle), parse.GetValue(verify), parse.GetValue(progress), parse.GetValue(targetIsZero),
                parse.GetValue(requestSize), parse.GetValue(rangeSize), TimeSpan.FromSeconds(parse.GetValue(checkpointEvery)), parse.GetValue(flushEvery), parse.GetValue(noFlush),
                parse.GetValue(connections), TimeSpan.FromSeconds(parse.GetValue(timeout)));
            return await RunAsync(settings, output, errors, cancellationToken);
        });
        return command;
    }

    private sealed record CopySettings(
        string Source, string Target, string? Bitmap, FileInfo? Checkpoint, double? ThrottleMbps, bool Verify, bool Progress,
        bool TargetIsZero, int RequestSize, long RangeSize, TimeSpan CheckpointEvery, long FlushEvery, bool NoFlush, int Connections, TimeSpan Timeout);

    private static async Task<int> RunAsync(CopySettings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (settings.ThrottleMbps is <= 0 || settings.Connections < 1 || settings.RequestSize < 4096 || settings.RangeSize < settings.RequestSize
            || settings.CheckpointEvery <= TimeSpan.Zero || settings.FlushEvery < settings.RequestSize || settings.Timeout <= TimeSpan.Zero)
        {
            await errors.WriteLineAsync("error: --throttle, --connections, --request-size (at least 4096), --range-size (at least the request size), --flush-every (at least the request size), --checkpoint-every and --timeout must be positive.");
            return WorkerCommands.ExitUsage;
        }

        if (settings.NoFlush && settings.Checkpoint is not null)
        {
            await errors.WriteLineAsync("error: --no-flush cannot be used with --checkpoint: a checkpoint is recorded only after the target is flushed.");
            return WorkerCommands.ExitUsage;
        }

        var sourceOptions = new BlockDeviceOpenOptions
        {
            Connections = settings.Connections,
            Timeout = settings.Timeout,
            DirtyBitmaps = settings.Bitmap is null ? [] : [settings.Bitmap],
        };

        CopyCheckpoint? resume = null;
        IBlockDevice? opened = null;
        try
        {
            if (settings.Checkpoint is { Exists: true } file)
            {
                resume = CopyCheckpoint.FromJson(await File.ReadAllTextAsync(file.FullName, cancellationToken));
                await errors.WriteLineAsync($"resuming from {file.FullName} at offset {resume.Offset}");
            }

            // The source's size decides the size of a target file created here. The device opened to learn
            // it is the first attempt's source (a handshake less: about 5 % of a small delta copy).
            opened = await BlockDevices.OpenAsync(settings.Source, sourceOptions, cancellationToken);
            var sourceSize = opened.Size;

            var targetOptions = new BlockDeviceOpenOptions
            {
                Writable = true,
                Connections = settings.Connections,
                Timeout = settings.Timeout,
                CreateWithSize = sourceSize,
            };

            var request = new CopyRequest
            {
                Plan = settings.Bitmap is null ? CopyPlan.Full : CopyPlan.FromDirtyBitmap(settings.Bitmap),
                Options = new CopyOptions
                {
                    RequestSize = settings.RequestSize,
                    RangeSize = settings.RangeSize,
                    CheckpointEvery = settings.CheckpointEvery,
                    FlushEveryBytes = settings.FlushEvery,
                    FlushTarget = !settings.NoFlush,
                    TargetIsZero = settings.TargetIsZero,
                    Verify = settings.Verify,
                    Throttle = settings.ThrottleMbps is { } mbps ? new Throttle((long)(mbps * 1_000_000 / 8)) : null,
                },
                ResumeFrom = resume,
                OnCheckpoint = settings.Checkpoint is null ? null : (point, ct) => SaveCheckpointAsync(settings.Checkpoint, point, ct),
                Progress = settings.Progress ? new ProgressPrinter(errors) : null,
            };

            var result = await BlockCopier.CopyAsync(
                async ct => Interlocked.Exchange(ref opened, null) ?? await OpenTargetCheckedAsync(settings.Source, sourceOptions, sourceSize, isTarget: false, ct),
                async ct => await OpenTargetCheckedAsync(settings.Target, targetOptions, sourceSize, isTarget: true, ct),
                request,
                cancellationToken);

            if (result.FirstMismatchOffset is { } mismatch)
            {
                await errors.WriteLineAsync($"error: verification failed: the target differs from the source at offset {mismatch}.");
                return WorkerCommands.ExitFailed;
            }

            settings.Checkpoint?.Refresh();
            if (settings.Checkpoint is { Exists: true })
            {
                settings.Checkpoint.Delete();
            }

            await output.WriteLineAsync(Summary(result, sourceSize));
            return WorkerCommands.ExitOk;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync(settings.Checkpoint is null
                ? "cancelled; nothing was kept of the progress (use --checkpoint FILE to resume later)."
                : $"cancelled; run the same command again to resume from {settings.Checkpoint.FullName}.");
            return WorkerCommands.ExitCancelled;
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return WorkerCommands.ExitFailed;
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

    private static async Task<IBlockDevice> OpenTargetCheckedAsync(string location, BlockDeviceOpenOptions options, long sourceSize, bool isTarget, CancellationToken cancellationToken)
    {
        var device = await BlockDevices.OpenAsync(location, options, cancellationToken);
        if (isTarget && device.Size < sourceSize)
        {
            await device.DisposeAsync();
            throw new BlockDeviceException(location, $"is {device.Size} bytes, smaller than the source's {sourceSize} bytes.");
        }

        return device;
    }

    // Written beside the file and renamed, so a crash never leaves half a checkpoint.
    private static async ValueTask SaveCheckpointAsync(FileInfo file, CopyCheckpoint point, CancellationToken cancellationToken)
    {
        var temporary = file.FullName + ".tmp";
        await File.WriteAllTextAsync(temporary, point.ToJson(), cancellationToken);
        File.Move(temporary, file.FullName, overwrite: true);
    }

    internal static string Summary(CopyResult result, long sourceSize)
    {
        var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
        var rate = sourceSize / 1024.0 / 1024.0 / seconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        return string.Create(CultureInfo.InvariantCulture,
            $"copied {sourceSize} bytes: read {result.BytesRead}, written {result.BytesWritten} (+{result.BytesWrittenAsZeroes} as zeroes), skipped {result.BytesSkipped}; " +
            $"{seconds:F2} s, {rate:F0} MiB/s; {result.Attempts} attempt(s){(result.Verified ? ", verified" : "")}; peak memory {WorkerCommands.MiB(peak)} MiB");
    }

    internal sealed class ProgressPrinter(TextWriter errors) : IProgress<CopyProgress>
    {
        private long _lastTick;

        public void Report(CopyProgress value)
        {
            var now = Environment.TickCount64;
            if (now - _lastTick < 1000 && value.BytesDone < value.BytesTotal)
            {
                return;
            }

            _lastTick = now;
            var percent = value.BytesTotal == 0 ? 100 : 100.0 * value.BytesDone / value.BytesTotal;
            var eta = value.EstimatedTimeRemaining is { } left ? $"{left.TotalSeconds:F0} s left" : "estimating";
            errors.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{percent,5:F1}%  {WorkerCommands.MiB(value.BytesDone)} of {WorkerCommands.MiB(value.BytesTotal)} MiB  {value.BytesPerSecond / 1024 / 1024:F0} MiB/s  {eta}"));
        }
    }
}
