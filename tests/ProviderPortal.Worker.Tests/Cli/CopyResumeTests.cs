using System.Security.Cryptography;
using ProviderPortal.Replication.Copy;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary>A copy stopped mid-way (SIGINT, SIGTERM or SIGKILL) resumes in a new process from its persisted checkpoint.</summary>
public sealed class CopyResumeTests : IDisposable
{
    private const int Size = 64 * 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("worker-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 130)]
    [InlineData("KILL", 137)]
    public async Task Copy_StoppedThenRunAgain_ResumesFromCheckpointAndFinishesIdentical(string signal, int expectedExit)
    {
        var source = Path.Combine(_folder, "source.raw");
        var bytes = new byte[Size];
        new Random(21).NextBytes(bytes);
        await File.WriteAllBytesAsync(source, bytes);
        var target = Path.Combine(_folder, "target.raw");
        var checkpoint = Path.Combine(_folder, "copy.checkpoint");
        string[] copy = ["copy", source, target, "--checkpoint", checkpoint, "--range-size", "4194304", "--request-size", "1048576", "--checkpoint-every", "0.2"];

        // 100 Mbit/s: about 5.4 s for the whole 64 MiB, so the stop lands mid-copy.
        long stoppedAt;
        using (var first = WorkerProcess.Start([.. copy, "--throttle", "100"]))
        {
            stoppedAt = await WaitForCheckpointAsync(checkpoint, first, TimeSpan.FromSeconds(20));
            await first.SignalAsync(signal);
            var stopped = await first.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(stopped.ExitCode == expectedExit, stopped.ToString());
            if (signal != "KILL")
            {
                Assert.Contains("run the same command again to resume", stopped.Stderr, StringComparison.Ordinal);
            }
        }

        Assert.True(File.Exists(checkpoint), "the checkpoint did not survive the stop");
        var kept = CopyCheckpoint.FromJson(await File.ReadAllTextAsync(checkpoint));
        Assert.InRange(kept.Offset, stoppedAt, Size - 1);

        var second = await WorkerProcess.RunAsync(TimeSpan.FromSeconds(60), copy);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"resuming from {checkpoint} at offset {kept.Offset}", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(checkpoint), "the checkpoint was not removed after the copy completed");
        Assert.Equal(Size - kept.Offset, second.BytesRead);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(target))));
    }

    /// <summary>The first checkpoint with a positive offset, read while the worker is still copying.</summary>
    private static async Task<long> WaitForCheckpointAsync(string path, WorkerProcess worker, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(worker.HasExited, $"the worker exited before its first checkpoint: {worker.Stderr}");
            if (File.Exists(path))
            {
                try
                {
                    var point = CopyCheckpoint.FromJson(await File.ReadAllTextAsync(path));
                    if (point.Offset > 0)
                    {
                        return point.Offset;
                    }
                }
                catch (FileNotFoundException)
                {
                    // Replaced by the next checkpoint between the check and the read.
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no checkpoint appeared in {limit.TotalSeconds} s; stderr: {worker.Stderr}");
        return 0;
    }
}
