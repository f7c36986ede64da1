using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Tests.Nbd;

namespace ProviderPortal.Replication.Tests.Acceptance;

/// <summary>Issue 3, item 3: the source server is killed (SIGKILL) mid-copy and restarted; the copy retries and resumes from its checkpoint.</summary>
public sealed class ServerKillAcceptanceTests : IDisposable
{
    private const int MiB = AcceptanceDisks.MiB;
    private const long Size = 64L * MiB;

    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CopyAsync_SourceServerKilledAndRestarted_RetriesResumesFromCheckpointAndFinishesIdentical()
    {
        string[] disk = ["sparse-random", "size=64M", "percent=100", "seed=42"];
        var reference = Path.Combine(_folder, "reference.raw");
        var referenceFolder = Path.Combine(_folder, "reference");
        Directory.CreateDirectory(referenceFolder);
        await using (var plain = await NbdPeer.StartNbdkitAsync(referenceFolder, disk))
        {
            await NbdPeer.RunAsync("nbdcopy", "libnbd-bin", plain.Uri.ToString(), reference);
        }

        var server = await NbdPeer.StartNbdkitAsync(_folder, disk);
        var location = server.Uri.ToString();
        var target = Path.Combine(_folder, "target.raw");
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long checkpointAtKill = 0;
        long lastCheckpoint = 0;
        long lastDone = 0;
        var request = new CopyRequest
        {
            Options = new CopyOptions
            {
                RequestSize = MiB,
                RangeSize = 4L * MiB,
                Workers = 2,
                MaxBytesInFlight = 4L * MiB,
                CheckpointEveryBytes = 4L * MiB,
                Throttle = new Throttle(24L * MiB),
                Retry = new RetryPolicy { MaxAttempts = 6, InitialDelay = TimeSpan.FromSeconds(0.2) },
            },
            OnCheckpoint = (point, _) =>
            {
                Interlocked.Exchange(ref lastCheckpoint, point.Offset);
                return ValueTask.CompletedTask;
            },
            Progress = new Inline(p =>
            {
                Interlocked.Exchange(ref lastDone, p.BytesDone);
                if (p.BytesDone >= Size / 2)
                {
                    halfway.TrySetResult();
                }
            }),
        };

        var copy = BlockCopier.CopyAsync(
            async ct => await BlockDevices.OpenAsync(location, new BlockDeviceOpenOptions { Timeout = TimeSpan.FromSeconds(5) }, ct),
            async ct => await BlockDevices.OpenAsync(target, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = Size }, ct),
            request);

        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(30));
        checkpointAtKill = Interlocked.Read(ref lastCheckpoint);
        server.Kill();
        var doneAtKill = Interlocked.Read(ref lastDone);
        await server.DisposeAsync();
        await Task.Delay(300);
        File.Delete(server.Uri.SocketPath!);
        server = await NbdPeer.StartNbdkitAsync(_folder, disk);
        await using var restarted = server;
        Assert.Equal(location, restarted.Uri.ToString());

        var result = await copy.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Attempts > 1, $"{result.Attempts} attempt(s): the kill did not land mid-copy");
        Assert.True(checkpointAtKill >= Size / 4, $"the last checkpoint before the kill was at {checkpointAtKill}");
        Assert.Equal(AcceptanceDisks.HashFile(reference, Size), AcceptanceDisks.HashFile(target, Size));

        // Resumed from the checkpoint, the copy reads again only what lay between it and the kill (and what was in flight);
        // from offset 0 it would read again everything done before the kill (at least half the disk). How far the copy got
        // before the kill landed depends on how busy the machine is, so the bound is measured, not fixed.
        var readAgain = result.BytesRead - Size;
        // Progress is reported every so often, so "done" may lag the reads by up to a second of the throttle's rate.
        var slack = (2 * request.Options.MaxBytesInFlight) + (24L * MiB);
        Assert.True(readAgain <= doneAtKill - checkpointAtKill + slack,
            $"read {result.BytesRead} bytes for a {Size}-byte disk, {readAgain} again, with {doneAtKill} done and the checkpoint at {checkpointAtKill} at the kill: not resumed from the checkpoint");
        Assert.True(readAgain < doneAtKill, $"read {readAgain} bytes again, all {doneAtKill} done before the kill: started over");
    }

    private sealed class Inline(Action<CopyProgress> report) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value) => report(value);
    }
}
