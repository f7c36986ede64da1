using System.CommandLine;
using System.Globalization;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Worker.Cli;

/// <summary><c>verify SOURCE TARGET</c>: compares every byte (holes read as zeroes); exit 1 at the first difference.</summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var source = WorkerCommands.Location("source", "The reference.");
        var target = WorkerCommands.Location("target", "What must equal it.");
        var connections = WorkerCommands.Connections();
        var timeout = WorkerCommands.Timeout();
        var command = new Command("verify", "Compare SOURCE and TARGET byte for byte.") { source, target, connections, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new BlockDeviceOpenOptions { Connections = parse.GetValue(connections), Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };
            try
            {
                await using var from = await BlockDevices.OpenAsync(parse.GetValue(source)!, options, cancellationToken);
                await using var to = await BlockDevices.OpenAsync(parse.GetValue(target)!, options, cancellationToken);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await BlockVerifier.VerifyAsync(from, to, cancellationToken);
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (!result.Equal)
                {
                    await errors.WriteLineAsync($"error: the target differs from the source at offset {result.FirstDifference}.");
                    return WorkerCommands.ExitFailed;
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"equal: {result.BytesCompared} bytes compared in {seconds:F2} s"));
                return WorkerCommands.ExitOk;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await errors.WriteLineAsync("cancelled.");
                return WorkerCommands.ExitCancelled;
            }
            catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException or ArgumentException)
            {
                await errors.WriteLineAsync($"error: {ex.Message}");
                return WorkerCommands.ExitFailed;
            }
        });
        return command;
    }
}
