using System.Diagnostics;
using System.Text;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Seed;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Tests.Tasks;

/// <summary>A seed device in the replication of a lab VM: S0 by courier, verified at the provider, then only the changes over the network.</summary>
public sealed class SeedLabTests : IDisposable
{
    private const string Vm = "lab-db-01";
    private const int MiB = LabFolder.MiB;

    private readonly LabFolder _folder = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SeedThenDelta_WorkloadWriting_TamperedCopyRefusedCleanIngestThenDeltaMakesTheDestinationEqualS1()
    {
        var lab = await _folder.OpenAsync();
        var disks = (await lab.GetVmAsync(Vm, CancellationToken.None)).Disks.Select(d => d.Key).ToList();
        Assert.Equal(2, disks.Count);
        await lab.SetWorkloadRateAsync(Vm, 4 * MiB, CancellationToken.None);
        var workload = new LabWorkload(lab, seed: 33) { Tick = TimeSpan.FromMilliseconds(10) };
        using var stop = new CancellationTokenSource();
        var guests = Task.Run(() => workload.RunAsync(stop.Token));
        try
        {
            // S0 while the guest writes; both of the VM's disks go onto one seed device.
            await WaitForWritesAsync(workload, 0);
            var writtenBeforeS0 = workload.BytesWritten;
            var s0 = await lab.CreateSnapshotAsync(Vm, "pp-seed", CancellationToken.None);
            var device = Path.Combine(_folder.Root, "seed-device");
            Directory.CreateDirectory(device);
            using var key = SeedKey.Generate();
            await using var connector = new LabConnector(_folder.Settings);
            var samples = new List<byte[]>();
            foreach (var disk in disks)
            {
                await using var source = await connector.OpenSnapshotDiskAsync(Vm, s0.Id, disk, CancellationToken.None);
                var written = await SeedWriter.WriteAsync(source, $"{Vm}/{disk}", [new SeedDevice(device)], key, new SeedWriteOptions { ChunkSize = MiB });
                Assert.True(written.ChunksWritten > 0 && written.DataBytes >= 4 * MiB, $"{disk}: {written}");
                samples.Add(await FirstDataAsync(source));
            }

            // Written encrypted: no stretch of either disk's data, no VM or disk name anywhere on the device.
            foreach (var file in Directory.EnumerateFiles(device, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(IndexOf(bytes, Encoding.ASCII.GetBytes(Vm)) < 0, $"{file} names the VM");
                Assert.All(samples, sample => Assert.True(IndexOf(bytes, sample) < 0, $"{file} holds plaintext"));
            }

            // A copy of the device with one byte flipped in a chunk of each disk is refused and its destination stays as it was.
            var tampered = CopyFolder(device, Path.Combine(_folder.Root, "seed-device-tampered"));
            foreach (var chunks in Directory.EnumerateDirectories(Path.Combine(tampered, "chunks")))
            {
                var chunk = Directory.EnumerateFiles(chunks, "*.chunk").Order(StringComparer.Ordinal).Last();
                var chunkBytes = await File.ReadAllBytesAsync(chunk);
                chunkBytes[chunkBytes.Length / 3] ^= 0x20;
                await File.WriteAllBytesAsync(chunk, chunkBytes);
            }

            var refusedTarget = Path.Combine(_folder.Root, "refused.img");
            await using (var target = FileDevice.Open(refusedTarget, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = 1L << 30 }))
            {
                var before = await LabFolder.Sha256Async(target);
                var refused = await Assert.ThrowsAsync<SeedVerificationException>(() => SeedIngester.IngestAsync([tampered], $"{Vm}/{disks[0]}", target, key));
                Assert.Contains("was altered or replaced", refused.Message, StringComparison.Ordinal);
                Assert.Equal(before, await LabFolder.Sha256Async(target));
            }

            // The clean device ingests into the destinations the replication uses: each equals its disk at S0.
            Directory.CreateDirectory(Path.GetDirectoryName(_folder.TargetOf(Vm, disks[0]))!);
            var assignments = new List<DiskAssignment>();
            foreach (var disk in disks)
            {
                var assignment = await _folder.DiskAsync(Vm, disk, sinceChangeId: s0.Disks.Single(d => d.DiskKey == disk).ChangeId);
                await using (var target = FileDevice.Open(assignment.Target, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = assignment.CapacityBytes }))
                {
                    var ingested = await SeedIngester.IngestAsync([device], $"{Vm}/{disk}", target, key);
                    Assert.True(ingested.ChunksVerified > 0);
                }

                Assert.Equal(await _folder.SnapshotSha256Async(Vm, s0.Id, disk), await LabFolder.Sha256Async(assignment.Target));
                assignments.Add(assignment);
            }

            // Then the network: S1 and only the areas changed since S0, through the normal delta task.
            await WaitForWritesAsync(workload, workload.BytesWritten);
            var delta = LabFolder.Assignment(Vm, assignments, ReplicationTaskKind.Delta, previousSnapshotId: s0.Id, source: _folder.Settings);
            var reports = new RecordingReports();
            await new TaskExecutor(_folder.Connectors, _folder.Roots, reports, TextWriter.Synchronized(_log)).RunAsync(delta, new Throttle(), new Throttle(), CancellationToken.None);

            Assert.Single(reports.Of<CompletedReport>());
            var s1 = Assert.Single(reports.Of<SnapshotReport>());
            foreach (var disk in disks)
            {
                Assert.Equal(await _folder.SnapshotSha256Async(Vm, s1.SnapshotId, disk), await LabFolder.Sha256Async(_folder.TargetOf(Vm, disk)));
            }

            // Only what the guest wrote after S0 (whole 64 KiB blocks, so the bytes it wrote bound the changed areas).
            var planned = reports.Of<DiskPlannedReport>();
            Assert.Equal(2, planned.Count);
            var writtenSinceS0 = workload.BytesWritten - writtenBeforeS0;
            Assert.True(planned.Sum(p => p.BytesTotal) is > 0 && planned.Sum(p => p.BytesTotal) <= writtenSinceS0, $"the delta planned {planned.Sum(p => p.BytesTotal)} bytes; the guest wrote {writtenSinceS0} since S0");
        }
        finally
        {
            await stop.CancelAsync();
            await guests;
        }
    }

    /// <summary>64 bytes of the disk's data: from the first non-zero byte of its first data extents, at least 16 of them non-zero.</summary>
    private static async Task<byte[]> FirstDataAsync(IBlockDevice device)
    {
        foreach (var extent in (await device.GetExtentsAsync(0, device.Size, CancellationToken.None)).Where(e => e.Kind == ExtentKind.Data && e.Length >= 128))
        {
            var bytes = new byte[(int)Math.Min(extent.Length, MiB)];
            await device.ReadAsync(extent.Offset, bytes, CancellationToken.None);
            for (var start = bytes.AsSpan().IndexOfAnyExcept((byte)0); start >= 0 && start + 64 <= bytes.Length; start += 64)
            {
                var sample = bytes[start..(start + 64)];
                if (sample.Count(b => b != 0) >= 16)
                {
                    return sample;
                }
            }
        }

        Assert.Fail($"{device.Name} has no data to sample");
        return [];
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static string CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return to;
    }

    private static async Task WaitForWritesAsync(LabWorkload workload, long after)
    {
        var clock = Stopwatch.StartNew();
        while (workload.BytesWritten <= after && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(5);
        }

        Assert.True(workload.BytesWritten > after, "the workload wrote nothing in 5 s");
    }
}
