using System.Security.Cryptography;
using ProviderPortal.Replication.Seed;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary>seed-write and seed-ingest as users run them: exit codes, plain errors, the key never printed, a refused ingest leaves no target.</summary>
public sealed class SeedCommandTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("worker-seed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("seed-write", "a.raw")]
    [InlineData("seed-write", "a.raw", "dev")]
    [InlineData("seed-ingest", "dev")]
    [InlineData("seed-ingest", "dev", "out.raw")]
    [InlineData("seed-write", "a.raw", "dev", "--key-file", "k", "--chunk-size", "100")]
    [InlineData("seed-write", "a.raw", "dev", "--key-file", "k", "--capacity", "0")]
    [InlineData("seed-ingest", "dev", "out.raw", "--key-file", "k", "--no-such-option")]
    public async Task SeedCommand_BadUsage_ExitsTwoWithError(params string[] args)
    {
        var run = await WorkerProcess.RunAsync(s_limit, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Theory]
    [InlineData("seed-write")]
    [InlineData("seed-ingest")]
    public async Task SeedCommand_MissingKeyFile_ExitsTwoNamingTheFile(string command)
    {
        var (source, device, _) = await SeedAsync();
        var missing = Path.Combine(_folder, "no-such.key");
        string[] args = command == "seed-write"
            ? [command, source, device, "--key-file", missing]
            : [command, device, Path.Combine(_folder, "out.raw"), "--key-file", missing];

        var run = await WorkerProcess.RunAsync(s_limit, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"The key file {missing} cannot be read", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "out.raw")));
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task SeedIngest_KeyFileNotAKey_ExitsTwoWithoutEchoingIt()
    {
        var (_, device, _) = await SeedAsync();
        var notAKey = Path.Combine(_folder, "not-a.key");
        await File.WriteAllTextAsync(notAKey, "correct-horse-battery-staple");

        var run = await WorkerProcess.RunAsync(s_limit, "seed-ingest", device, Path.Combine(_folder, "out.raw"), "--key-file", notAKey);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("does not hold a seed key", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("horse", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedIngest_WrongKey_ExitsOneAndLeavesNoTargetBehind()
    {
        var (_, device, key) = await SeedAsync();
        var wrong = WriteKey("wrong.key");
        var target = Path.Combine(_folder, "out.raw");

        var run = await WorkerProcess.RunAsync(s_limit, "seed-ingest", device, target, "--key-file", wrong);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("The key does not open the seed device", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(target), "a target was created for a refused ingest");
        Assert.DoesNotContain((await File.ReadAllTextAsync(wrong)).Trim(), run.Stderr + run.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain((await File.ReadAllTextAsync(key)).Trim(), run.Stderr + run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SeedIngest_FlippedByteThenClean_RefusedWithTargetUnchangedThenEqualsTheSource()
    {
        var (source, device, key) = await SeedAsync();
        var target = Path.Combine(_folder, "existing.raw");
        var existing = RandomNumberGenerator.GetBytes((int)new FileInfo(source).Length);
        await File.WriteAllBytesAsync(target, existing);
        var chunk = Directory.EnumerateFiles(Path.Combine(device, "chunks"), "*.chunk", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ElementAt(1);
        var original = await File.ReadAllBytesAsync(chunk);
        var tampered = (byte[])original.Clone();
        tampered[100] ^= 0x10;
        await File.WriteAllBytesAsync(chunk, tampered);

        var refused = await WorkerProcess.RunAsync(s_limit, "seed-ingest", device, target, "--key-file", key);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("refused, nothing was written", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Chunk 2 of disk source.raw", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(existing, await File.ReadAllBytesAsync(target));
        AssertNoStackTrace(refused);

        await File.WriteAllBytesAsync(chunk, original);
        var ingested = await WorkerProcess.RunAsync(s_limit, "seed-ingest", device, target, "--key-file", key, "--progress");

        Assert.True(ingested.ExitCode == 0, ingested.ToString());
        Assert.Contains("ingested disk source.raw: 2 chunks verified", ingested.Stdout, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task SeedWrite_KilledThenRunAgain_ResumesWithoutRewritingRecordedChunks()
    {
        const int size = 48 * 1024 * 1024;
        var source = Path.Combine(_folder, "big.raw");
        await File.WriteAllBytesAsync(source, RandomNumberGenerator.GetBytes(size));
        var device = Path.Combine(_folder, "device");
        Directory.CreateDirectory(device);
        var keyFile = WriteKey("order.key");
        using var key = SeedKey.ReadFile(keyFile);
        string[] write = ["seed-write", source, device, "--key-file", keyFile, "--chunk-size", "1048576", "--checkpoint-every", "0.2"];

        // 80 Mbit/s: about 5 s for the 48 MiB, so the kill lands mid-write, after a checkpoint recorded some chunks.
        int recorded;
        using (var first = WorkerProcess.Start([.. write, "--throttle", "80"]))
        {
            recorded = await WaitForRecordedChunksAsync(device, key, first);
            await first.SignalAsync("KILL");
            await first.WaitAsync(TimeSpan.FromSeconds(15));
        }

        var disk = Assert.Single(SeedIngester.ListDisks([device], key));
        Assert.False(disk.Complete);
        Assert.InRange(disk.ChunksRecorded, recorded, 47);
        var before = Directory.EnumerateFiles(Path.Combine(device, "chunks"), "*.chunk", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var second = await WorkerProcess.RunAsync(s_limit, write);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"48 chunks ({48 - disk.ChunksRecorded} written, {disk.ChunksRecorded} already on the device, 0 zero)", second.Stdout, StringComparison.Ordinal);
        // Every write of a chunk has a fresh random nonce: the recorded chunks are the files left as they were, and only they.
        var kept = 0;
        foreach (var (file, bytes) in before)
        {
            var after = await File.ReadAllBytesAsync(file);
            kept += bytes.SequenceEqual(after) ? 1 : 0;
        }

        Assert.Equal(disk.ChunksRecorded, kept);

        var target = Path.Combine(_folder, "ingested.raw");
        var ingest = await WorkerProcess.RunAsync(s_limit, "seed-ingest", device, target, "--key-file", keyFile);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(source)), SHA256.HashData(await File.ReadAllBytesAsync(target)));
    }

    /// <summary>Reads the device's manifest with the key until it records some chunks, while the worker still writes.</summary>
    private static async Task<int> WaitForRecordedChunksAsync(string device, SeedKey key, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(worker.HasExited, $"the worker exited before its first checkpoint: {worker.Stderr}");
            try
            {
                if (SeedIngester.ListDisks([device], key) is [{ ChunksRecorded: > 0 } disk])
                {
                    return disk.ChunksRecorded;
                }
            }
            catch (Exception ex) when (ex is IOException or SeedVerificationException)
            {
                // No manifest yet, or it is being replaced.
            }

            await Task.Delay(50);
        }

        Assert.Fail($"no chunk was recorded in 20 s; stderr: {worker.Stderr}");
        return 0;
    }

    /// <summary>A 12 MiB source, its middle 4 MiB zeroes, written by the worker to a device folder: chunks 0 and 2 stored, chunk 1 zero (no file).</summary>
    private async Task<(string Source, string Device, string Key)> SeedAsync()
    {
        var source = Path.Combine(_folder, "source.raw");
        var bytes = RandomNumberGenerator.GetBytes(12 * 1024 * 1024);
        Array.Clear(bytes, 4 * 1024 * 1024, 4 * 1024 * 1024);
        await File.WriteAllBytesAsync(source, bytes);
        var device = Path.Combine(_folder, "device");
        Directory.CreateDirectory(device);
        var key = WriteKey("order.key");
        var run = await WorkerProcess.RunAsync(s_limit, "seed-write", source, device, "--key-file", key);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("seed-written disk source.raw: 3 chunks (2 written, 0 already on the device, 1 zero)", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain((await File.ReadAllTextAsync(key)).Trim(), run.Stderr + run.Stdout, StringComparison.OrdinalIgnoreCase);
        return (source, device, key);
    }

    private string WriteKey(string name)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        return path;
    }

    private static void AssertNoStackTrace(WorkerRun run)
    {
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }
}
