using System.Text.Json.Nodes;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Seed;

namespace ProviderPortal.Replication.Tests.Seed;

/// <summary>Ingest refuses every kind of tampering in plain words naming what, and leaves the target as it was.</summary>
public sealed class SeedIngesterTests : IDisposable
{
    private const int MiB = SeedFolder.MiB;
    private const long Size = 24L * MiB;

    private readonly SeedFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("flip-byte", "Chunk 3 of disk vm-a/disk-0 (offset 6291456")]
    [InlineData("delete-chunk", "Chunk 5 of disk vm-a/disk-0 (offset 10485760, 1048576 bytes, file chunks/")]
    [InlineData("swap-chunks", "Chunk 1 of disk vm-a/disk-0")]
    [InlineData("truncate-chunk", "has 1048000 bytes instead of 1048608")]
    [InlineData("edit-manifest", "seed-manifest.json was altered or damaged")]
    [InlineData("edit-key-check", "The key does not open the seed device")]
    [InlineData("delete-manifest", "holds no seed manifest")]
    [InlineData("wrong-key", "The key does not open the seed device")]
    public async Task Ingest_TamperedDevice_RefusedNamingWhatAndTargetUnchanged(string tampering, string expected)
    {
        using var key = SeedKey.Generate();
        var (device, _) = await WriteSeedAsync(key);
        var chunks = SeedFolder.ChunkFiles(device).ToList();
        var manifest = Path.Combine(device, "seed-manifest.json");
        using var wrongKey = SeedKey.Generate();
        var ingestKey = key;
        switch (tampering)
        {
            case "flip-byte":
                var bytes = await File.ReadAllBytesAsync(chunks[3]);
                bytes[bytes.Length / 2] ^= 0x01;
                await File.WriteAllBytesAsync(chunks[3], bytes);
                break;
            case "delete-chunk":
                File.Delete(chunks[5]);
                break;
            case "swap-chunks":
                var one = await File.ReadAllBytesAsync(chunks[1]);
                File.Copy(chunks[2], chunks[1], overwrite: true);
                await File.WriteAllBytesAsync(chunks[2], one);
                break;
            case "truncate-chunk":
                using (var stream = new FileStream(chunks[0], FileMode.Open))
                {
                    stream.SetLength(1048000);
                }

                break;
            case "edit-manifest":
                await EditManifestAsync(manifest, "manifest", value => FlipBase64(value, 40));
                break;
            case "edit-key-check":
                await EditManifestAsync(manifest, "keyCheck", value => FlipBase64(value, 3));
                break;
            case "delete-manifest":
                File.Delete(manifest);
                break;
            default:
                ingestKey = wrongKey;
                break;
        }

        var target = _folder.RandomFile("target.raw", Size, seed: 77);
        var before = SeedFolder.Sha256(target);

        var error = await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var device0 = SeedFolder.Open(target, writable: true);
            await SeedIngester.IngestAsync([device], null, device0, ingestKey);
        });

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain(key.ToHex(), error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, SeedFolder.Sha256(target));
        if (tampering == "swap-chunks")
        {
            var problems = Assert.IsType<SeedVerificationException>(error).Problems;
            Assert.Equal(2, problems.Count);
            Assert.Contains("Chunk 2 of disk vm-a/disk-0", problems[1], StringComparison.Ordinal);
            Assert.All(problems, p => Assert.Contains("was altered or replaced", p, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Ingest_CleanDevice_TargetEqualsTheSourceIncludingItsHoles()
    {
        using var key = SeedKey.Generate();
        var (device, source) = await WriteSeedAsync(key);
        var target = _folder.RandomFile("target.raw", Size, seed: 78);
        var reports = new List<long>();

        SeedIngestResult result;
        await using (var device0 = SeedFolder.Open(target, writable: true))
        {
            result = await SeedIngester.IngestAsync([device], null, device0, key, new SeedIngestOptions { Progress = new SyncProgress(p => reports.Add(p.BytesDone)), ProgressInterval = TimeSpan.Zero });
        }

        Assert.Equal(SeedFolder.Sha256(source), SeedFolder.Sha256(target));
        Assert.Equal(8, result.ChunksVerified);
        Assert.Equal(Size - result.BytesWritten, result.BytesZeroed);
        Assert.Equal(2 * result.BytesWritten, reports[^1]);
    }

    [Fact]
    public async Task Verify_CleanDeviceThenAFlippedByte_PassesThenNamesTheChunk()
    {
        using var key = SeedKey.Generate();
        var (device, _) = await WriteSeedAsync(key);

        var info = await SeedIngester.VerifyAsync([device], "vm-a/disk-0", key);
        Assert.Equal(8, info.ChunkCount);

        var chunk = SeedFolder.ChunkFiles(device).Last();
        var bytes = await File.ReadAllBytesAsync(chunk);
        bytes[10] ^= 0x80;
        await File.WriteAllBytesAsync(chunk, bytes);
        var error = await Assert.ThrowsAsync<SeedVerificationException>(() => SeedIngester.VerifyAsync([device], "vm-a/disk-0", key));
        Assert.Contains("Chunk 7 of disk vm-a/disk-0", error.Message, StringComparison.Ordinal);
    }

    /// <summary>24 MiB: data at 2..4 MiB, 5..8 MiB and 10..13 MiB, holes elsewhere; 8 chunks of 1 MiB.</summary>
    private async Task<(string Device, string Source)> WriteSeedAsync(SeedKey key)
    {
        var source = _folder.Source("source.raw", Size, [(2L * MiB, 2 * MiB), (5L * MiB, 3 * MiB), (10L * MiB, 3 * MiB)]);
        var device = _folder.Device();
        await using var disk = SeedFolder.Open(source);
        var result = await SeedWriter.WriteAsync(disk, "vm-a/disk-0", [new SeedDevice(device)], key, new SeedWriteOptions { ChunkSize = MiB });
        Assert.Equal(8, result.ChunksWritten);
        return (device, source);
    }

    private static async Task EditManifestAsync(string path, string field, Func<string, string> edit)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        json[field] = edit(json[field]!.GetValue<string>());
        await File.WriteAllTextAsync(path, json.ToJsonString());
    }

    private static string FlipBase64(string value, int at)
    {
        var bytes = Convert.FromBase64String(value);
        bytes[at] ^= 0x04;
        return Convert.ToBase64String(bytes);
    }

    private sealed class SyncProgress(Action<CopyProgress> report) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
