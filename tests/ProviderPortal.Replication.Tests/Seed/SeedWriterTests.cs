using System.Text;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Seed;

namespace ProviderPortal.Replication.Tests.Seed;

/// <summary>Seed writes on real files: what reaches the device (nothing readable), resumption, several disks, several devices.</summary>
public sealed class SeedWriterTests : IDisposable
{
    private const int MiB = SeedFolder.MiB;
    private static readonly SeedWriteOptions s_small = new() { ChunkSize = MiB };

    private readonly SeedFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_RecognisableSource_DeviceHoldsNoPlaintextNoNamesNoKeyAndNoHoles()
    {
        const string diskId = "vm-payroll-db/disk-0";
        var path = _folder.Source("source.raw", 64L * MiB, [(0, 3 * MiB), (20L * MiB, 2 * MiB + 4567), (63L * MiB, MiB)]);
        var device = _folder.Device();
        using var key = SeedKey.Generate();

        SeedWriteResult result;
        await using (var source = SeedFolder.Open(path))
        {
            result = await SeedWriter.WriteAsync(source, diskId, [new SeedDevice(device)], key, s_small);
        }

        // 3 + 3 + 1 chunks of data; the 58 MiB of holes are absent.
        Assert.Equal(7, result.ChunkCount);
        Assert.Equal(7, result.ChunksWritten);
        var chunks = SeedFolder.ChunkFiles(device).ToList();
        Assert.Equal(7, chunks.Count);
        var stored = Directory.EnumerateFiles(device, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.InRange(stored, result.DataBytes, result.DataBytes + (64 * 1024));

        var plaintext = await File.ReadAllBytesAsync(path);
        var forbidden = new List<(string What, byte[] Bytes)>
        {
            ("the source pattern", SeedFolder.Pattern[..16]),
            ("the disk id", Encoding.UTF8.GetBytes(diskId)),
            ("the VM name", Encoding.UTF8.GetBytes("payroll")),
            ("the key in hex", Encoding.ASCII.GetBytes(key.ToHex())),
            ("the raw key", Convert.FromHexString(key.ToHex())),
            ("a run of plaintext", plaintext.AsSpan(20 * MiB + 1000, 32).ToArray()),
        };
        foreach (var file in Directory.EnumerateFiles(device, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var (what, needle) in forbidden)
            {
                Assert.True(Contains(bytes, needle) is false, $"{file} contains {what}");
            }

            Assert.DoesNotContain("payroll", Path.GetRelativePath(device, file), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Write_InterruptedThenRunAgain_FinishedChunksAreNotRewrittenAndTheIngestEqualsTheSource()
    {
        var path = _folder.RandomFile("source.raw", 48L * MiB, seed: 5);
        var device = _folder.Device();
        using var key = SeedKey.Generate();
        using var stop = new CancellationTokenSource();
        // 16 MiB/s: the 48 chunks take 3 s, so the cancellation after 12 recorded lands mid-write.
        var options = s_small with
        {
            Throttle = new Throttle(16 * MiB),
            Workers = 1,
            CheckpointEveryChunks = 4,
            OnCheckpoint = (point, _) => point.ChunksRecorded >= 12 ? new ValueTask(stop.CancelAsync()) : ValueTask.CompletedTask,
        };

        await using (var source = SeedFolder.Open(path))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SeedWriter.WriteAsync(source, "disk-0", [new SeedDevice(device)], key, options, stop.Token));
        }

        var interrupted = Assert.Single(SeedIngester.ListDisks([device], key));
        Assert.False(interrupted.Complete);
        Assert.InRange(interrupted.ChunksRecorded, 12, 47);
        var before = SeedFolder.ChunkFiles(device).Take(interrupted.ChunksRecorded).ToDictionary(f => f, File.ReadAllBytes);
        var refused = await Assert.ThrowsAsync<SeedVerificationException>(() => IngestAsync(device, key, Path.Combine(_folder.Root, "early.raw"), 48L * MiB));
        Assert.Contains("did not finish", refused.Message, StringComparison.Ordinal);

        SeedWriteResult resumed;
        await using (var source = SeedFolder.Open(path))
        {
            resumed = await SeedWriter.WriteAsync(source, "disk-0", [new SeedDevice(device)], key, s_small);
        }

        Assert.Equal(interrupted.ChunksRecorded, resumed.ChunksSkipped);
        Assert.Equal(48 - interrupted.ChunksRecorded, resumed.ChunksWritten);
        // Every chunk has a fresh random nonce, so a chunk written again would not be the same bytes.
        foreach (var (file, bytes) in before)
        {
            var after = await File.ReadAllBytesAsync(file);
            Assert.True(Same(bytes, after), $"{file} was rewritten");
        }

        var target = Path.Combine(_folder.Root, "target.raw");
        await IngestAsync(device, key, target, 48L * MiB);
        Assert.Equal(SeedFolder.Sha256(path), SeedFolder.Sha256(target));
    }

    [Fact]
    public async Task Write_SameDiskFromAnotherSnapshot_RefusedSoTheDeviceNeverMixesTwo_IngestNamesTheSnapshot()
    {
        // Two snapshots of one disk with the same allocated areas: only the data differ, which the layout check cannot see.
        var first = _folder.RandomFile("snap-0.raw", 8L * MiB, seed: 11);
        var second = _folder.RandomFile("snap-1.raw", 8L * MiB, seed: 12);
        var device = _folder.Device();
        using var key = SeedKey.Generate();
        await using (var source = SeedFolder.Open(first))
        {
            await SeedWriter.WriteAsync(source, "disk-0", [new SeedDevice(device)], key, s_small with { SourceId = "snapshot-0" });
        }

        var manifestBefore = Directory.EnumerateFiles(device, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        await using (var source = SeedFolder.Open(second))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                SeedWriter.WriteAsync(source, "disk-0", [new SeedDevice(device)], key, s_small with { SourceId = "snapshot-1" }));
            Assert.Contains("read from \"snapshot-0\", not from \"snapshot-1\"", refused.Message, StringComparison.Ordinal);
        }

        foreach (var (file, bytes) in manifestBefore)
        {
            Assert.True(Same(bytes, await File.ReadAllBytesAsync(file)), $"{file} changed");
        }

        var target = Path.Combine(_folder.Root, "target.raw");
        var ingested = await IngestAsync(device, key, target, 8L * MiB);
        Assert.Equal("snapshot-0", ingested.SourceId);
        Assert.Equal(SeedFolder.Sha256(first), SeedFolder.Sha256(target));
    }

    [Fact]
    public async Task Write_TwoDisksOnOneDevice_EachIngestsToItsOwnSource()
    {
        var first = _folder.Source("vm1-disk0.raw", 16L * MiB, [(MiB, 5 * MiB)], seed: 1);
        var second = _folder.RandomFile("vm2-disk0.raw", 9L * MiB + 333, seed: 2);
        var device = _folder.Device();
        using var key = SeedKey.Generate();
        await using (var source = SeedFolder.Open(first))
        {
            await SeedWriter.WriteAsync(source, "vm-1/disk-0", [new SeedDevice(device)], key, s_small);
        }

        await using (var source = SeedFolder.Open(second))
        {
            await SeedWriter.WriteAsync(source, "vm-2/disk-0", [new SeedDevice(device)], key, s_small);
        }

        var disks = SeedIngester.ListDisks([device], key);
        Assert.Equal(["vm-1/disk-0", "vm-2/disk-0"], disks.Select(d => d.DiskId));
        Assert.All(disks, d => Assert.True(d.Complete));
        var unnamed = await Assert.ThrowsAsync<ArgumentException>(() => IngestAsync(device, key, Path.Combine(_folder.Root, "x.raw"), 16L * MiB));
        Assert.Contains("2 disks (vm-1/disk-0, vm-2/disk-0)", unnamed.Message, StringComparison.Ordinal);

        foreach (var (id, path) in new[] { ("vm-1/disk-0", first), ("vm-2/disk-0", second) })
        {
            var target = Path.Combine(_folder.Root, $"target-{Path.GetFileName(path)}");
            await using (var device0 = SeedFolder.Open(target, writable: true, createWithSize: new FileInfo(path).Length))
            {
                var result = await SeedIngester.IngestAsync([device], id, device0, key);
                Assert.Equal(id, result.DiskId);
            }

            Assert.Equal(SeedFolder.Sha256(path), SeedFolder.Sha256(target));
        }
    }

    [Fact]
    public async Task Write_DiskLargerThanADevice_ContinuesOnTheNextAndIngestsOnlyWithAllOfThem()
    {
        var path = _folder.RandomFile("source.raw", 20L * MiB, seed: 9);
        SeedDevice[] devices = [new(_folder.Device("d1"), 8L * MiB), new(_folder.Device("d2"), 8L * MiB), new(_folder.Device("d3"), 8L * MiB)];
        using var key = SeedKey.Generate();

        SeedWriteResult result;
        await using (var source = SeedFolder.Open(path))
        {
            result = await SeedWriter.WriteAsync(source, "big-disk", devices, key, s_small);
        }

        // 8 MiB holds 7 chunks of 1 MiB and their headers: 7 + 7 + 6.
        Assert.Equal(3, result.Parts);
        Assert.Equal([7, 7, 6], devices.Select(d => SeedFolder.ChunkFiles(d.Folder).Count()));
        Assert.All(devices, d => Assert.InRange(Directory.EnumerateFiles(Path.Combine(d.Folder, "chunks"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), 1, 8L * MiB));

        var missing = await Assert.ThrowsAsync<SeedVerificationException>(() => IngestAsync([devices[0].Folder, devices[2].Folder], key, Path.Combine(_folder.Root, "partial.raw"), 20L * MiB));
        Assert.Contains("Part 2 of 3 of disk big-disk is on a device that was not given", missing.Message, StringComparison.Ordinal);

        var target = Path.Combine(_folder.Root, "target.raw");
        await IngestAsync(devices.Select(d => d.Folder).ToArray(), key, target, 20L * MiB);
        Assert.Equal(SeedFolder.Sha256(path), SeedFolder.Sha256(target));
    }

    [Fact]
    public async Task Write_DevicesTooSmall_RefusedBeforeWritingAnything()
    {
        var path = _folder.RandomFile("source.raw", 10L * MiB, seed: 3);
        var device = _folder.Device();
        using var key = SeedKey.Generate();
        await using var source = SeedFolder.Open(path);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SeedWriter.WriteAsync(source, "disk-0", [new SeedDevice(device, 4L * MiB)], key, s_small));

        Assert.Contains("give another device folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(device));
    }

    private static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static Task<SeedIngestResult> IngestAsync(string device, SeedKey key, string target, long size) => IngestAsync([device], key, target, size);

    private static async Task<SeedIngestResult> IngestAsync(string[] devices, SeedKey key, string target, long size)
    {
        await using var device = SeedFolder.Open(target, writable: true, createWithSize: size);
        return await SeedIngester.IngestAsync(devices, null, device, key);
    }
}
