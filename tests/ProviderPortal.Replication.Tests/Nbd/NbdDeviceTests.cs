using System.Diagnostics;
using System.Security.Cryptography;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

/// <summary>NbdDevice against real servers: nbdkit and qemu-nbd, started per test.</summary>
public sealed class NbdDeviceTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ConnectAsync_NbdkitMemory_ReportsSizeCapabilitiesAndConnections()
    {
        await using var peer = await NbdPeer.StartNbdkitAsync(_folder, "memory", "64M");
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { Writable = true, Connections = 3 }, default);

        Assert.Equal(64L * MiB, device.Size);
        var expected = DeviceCapabilities.Flush | DeviceCapabilities.Trim | DeviceCapabilities.WriteZeroes
            | DeviceCapabilities.MultiConn | DeviceCapabilities.Extents;
        Assert.Equal(expected, device.Capabilities);
        Assert.Equal(3, device.ConnectionCount);
        Assert.False(device.UsedExportNameFallback);
        Assert.True(device.MaximumRequestSize >= MiB);
    }

    [Fact]
    public async Task ConnectAsync_QemuNbdReadOnly_ReportsReadOnlyAndRefusesWrites()
    {
        var image = Path.Combine(_folder, "disk.raw");
        await using (var file = File.Create(image))
        {
            file.SetLength(10 * MiB + 512);
        }

        await using var peer = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "raw", image);
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { Writable = true, Connections = 1 }, default);

        Assert.Equal(10L * MiB + 512, device.Size);
        Assert.True(device.Capabilities.HasFlag(DeviceCapabilities.ReadOnly));
        Assert.True(device.Capabilities.HasFlag(DeviceCapabilities.Extents));
        Assert.False(device.Capabilities.HasFlag(DeviceCapabilities.DirtyBitmap));
        var refused = await Assert.ThrowsAsync<BlockDeviceException>(() => device.WriteAsync(0, new byte[512], default).AsTask());
        Assert.Contains("read-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentRequestsOverTcp_ReadBackEquals()
    {
        await using var peer = await NbdPeer.StartNbdkitTcpAsync(_folder, "memory", "96M");
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { Writable = true, Connections = 2 }, default);
        var expected = new byte[device.Size];
        new Random(7).NextBytes(expected.AsSpan(0, 48 * MiB));

        // Requests of mixed sizes, all in flight together, so replies come back out of order.
        var random = new Random(11);
        var pieces = new List<(int Offset, int Length)>();
        for (var at = 0; at < 48 * MiB;)
        {
            var length = Math.Min(random.Next(1, 64) * 16 * 1024 + random.Next(0, 2) * 512, 48 * MiB - at);
            pieces.Add((at, length));
            at += length;
        }

        await Task.WhenAll(pieces.Select(p => device.WriteAsync(p.Offset, expected.AsMemory(p.Offset, p.Length), default).AsTask()));

        // One write above the maximum payload is split.
        new Random(8).NextBytes(expected.AsSpan(48 * MiB, 40 * MiB));
        await device.WriteAsync(48 * MiB, expected.AsMemory(48 * MiB, 40 * MiB), default);
        await device.FlushAsync(default);

        var actual = new byte[device.Size];
        await Task.WhenAll(pieces.AsEnumerable().Reverse().Select(p => device.ReadAsync(p.Offset, actual.AsMemory(p.Offset, p.Length), default).AsTask()));
        await device.ReadAsync(48 * MiB, actual.AsMemory(48 * MiB), default);

        Assert.True(expected.AsSpan().SequenceEqual(actual), "the data read back differs from the data written");
    }

    [Fact]
    public async Task WriteZeroesAndTrim_WrittenData_ReadsAsZeroes()
    {
        await using var peer = await NbdPeer.StartNbdkitAsync(_folder, "memory", "8M");
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { Writable = true }, default);
        var data = new byte[4 * MiB];
        new Random(3).NextBytes(data);
        await device.WriteAsync(0, data, default);

        await device.WriteZeroesAsync(MiB, MiB, default);
        await device.TrimAsync(3 * MiB, MiB, default);

        var back = new byte[4 * MiB];
        await device.ReadAsync(0, back, default);
        Assert.True(back.AsSpan(0, MiB).SequenceEqual(data.AsSpan(0, MiB)));
        Assert.True(back.AsSpan(MiB, MiB).IndexOfAnyExcept((byte)0) < 0, "write-zeroes left data");
        Assert.True(back.AsSpan(2 * MiB, MiB).SequenceEqual(data.AsSpan(2 * MiB, MiB)));
        Assert.True(back.AsSpan(3 * MiB, MiB).IndexOfAnyExcept((byte)0) < 0, "trim on nbdkit memory left data");
    }

    [Theory]
    [InlineData("100", 48 * MiB)]
    [InlineData("10", 48 * MiB + 1234)]
    public async Task ReadAsync_SparseRandom_MatchesNbdcopyOutput(string percent, long size)
    {
        await using var peer = await NbdPeer.StartNbdkitAsync(_folder, "--filter=truncate", "sparse-random", "size=64M",
            $"percent={percent}", "seed=5", $"truncate={size}");
        var copy = Path.Combine(_folder, "copy.raw");
        await NbdPeer.RunAsync("nbdcopy", "libnbd-bin", peer.Uri.ToString(), copy);

        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions(), default);
        Assert.Equal(size, device.Size);
        var image = new byte[size];
        var chunk = MiB;
        var reads = new List<Task>();
        for (long at = 0; at < size; at += chunk)
        {
            reads.Add(device.ReadAsync(at, image.AsMemory((int)at, (int)Math.Min(chunk, size - at)), default).AsTask());
        }

        await Task.WhenAll(reads);

        Assert.Equal(new FileInfo(copy).Length, size);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(copy))), Convert.ToHexString(SHA256.HashData(image)));
    }

    [Fact]
    public async Task GetExtentsAsync_RawFileWithHoles_MatchesFileLayout()
    {
        var image = Path.Combine(_folder, "holes.raw");
        await using (var file = File.Create(image))
        {
            file.SetLength(8 * MiB);
            file.Position = MiB;
            file.Write(Enumerable.Repeat((byte)0x5a, MiB).ToArray());
            file.Position = 5 * MiB;
            file.Write(Enumerable.Repeat((byte)0xa5, 64 * 1024).ToArray());
        }

        await using var peer = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "raw", image);
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions(), default);

        var extents = await device.GetExtentsAsync(0, device.Size, default);
        var data = extents.Where(e => e.Kind == ExtentKind.Data).Select(e => (e.Offset, e.Length));
        Assert.Equal([(1L * MiB, 1L * MiB), (5L * MiB, 64L * 1024)], data);
        Assert.Equal(0, extents[0].Offset);
        Assert.Equal(device.Size, extents[^1].End);
        for (var i = 1; i < extents.Count; i++)
        {
            Assert.Equal(extents[i - 1].End, extents[i].Offset);
        }

        Assert.All(extents.Where(e => e.Kind != ExtentKind.Data), e => Assert.True(e.ReadsAsZero));

        var clipped = await device.GetExtentsAsync(MiB + MiB / 2, MiB, default);
        Assert.Equal([new Extent(MiB + MiB / 2, MiB / 2, ExtentKind.Data), new Extent(2 * MiB, MiB / 2, ExtentKind.Hole)], clipped);
    }

    [Fact]
    public async Task ReadAsync_QemuNbdSparseFile_ZeroFillsHolesIntoDirtyBuffer()
    {
        var image = Path.Combine(_folder, "sparse.raw");
        var expected = new byte[6 * MiB + 1536]; // qemu rounds sizes up to 512 bytes, so the tail is 512-aligned but not 4096-aligned
        new Random(9).NextBytes(expected.AsSpan(2 * MiB, MiB));
        new Random(10).NextBytes(expected.AsSpan(6 * MiB, 1536));
        await using (var file = File.Create(image))
        {
            file.SetLength(expected.Length);
            file.Position = 2 * MiB;
            file.Write(expected.AsSpan(2 * MiB, MiB));
            file.Position = 6 * MiB;
            file.Write(expected.AsSpan(6 * MiB));
        }

        await using var peer = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "raw", image);
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions(), default);

        // qemu-nbd answers holes with OFFSET_HOLE chunks: the buffer's old bytes must not survive.
        var back = new byte[expected.Length];
        back.AsSpan().Fill(0xee);
        await Task.WhenAll(
            device.ReadAsync(0, back.AsMemory(0, 4 * MiB), default).AsTask(),
            device.ReadAsync(4 * MiB, back.AsMemory(4 * MiB), default).AsTask());

        Assert.Equal(expected.Length, device.Size);
        Assert.True(expected.AsSpan().SequenceEqual(back), "the sparse file read back differs");
    }

    [Fact]
    public async Task GetDirtyRangesAsync_QcowWithPersistentBitmap_EqualsWrittenRanges()
    {
        var image = Path.Combine(_folder, "disk.qcow2");
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "create", "-q", "-f", "qcow2", image, "64M");
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "bitmap", "--add", "--enable", image, "cbt");
        await using (var writable = await NbdPeer.StartQemuNbdAsync(_folder, "-f", "qcow2", "--cache=none", image))
        {
            await NbdPeer.RunAsync("qemu-io", "qemu-utils", "-f", "raw", "-c", "write -P 0x11 1M 1M", "-c", "write -P 0x22 10M 64k",
                "-c", "write -P 0x33 40M 192k", writable.Uri.ToString());
            await writable.TerminateAsync();
        }

        await using var peer = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "qcow2", "-B", "cbt", image);
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { DirtyBitmaps = ["cbt"] }, default);

        Assert.True(device.Capabilities.HasFlag(DeviceCapabilities.DirtyBitmap));
        var dirty = await device.GetDirtyRangesAsync("cbt", 0, device.Size, default);
        Assert.Equal([new ByteRange(MiB, MiB), new ByteRange(10 * MiB, 64 * 1024), new ByteRange(40 * MiB, 192 * 1024)], dirty);
        var inside = await device.GetDirtyRangesAsync("cbt", MiB + 4096, 9 * MiB + 4096, default);
        Assert.Equal([new ByteRange(MiB + 4096, MiB - 4096), new ByteRange(10 * MiB, 8192)], inside);
        var unknown = await Assert.ThrowsAsync<BlockDeviceException>(() => device.GetDirtyRangesAsync("other", 0, MiB, default).AsTask());
        Assert.Contains("qemu:dirty-bitmap:other", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetExtentsAsync_WithoutMetaContexts_ReturnsOneDataExtent()
    {
        await using var peer = await NbdPeer.StartNbdkitAsync(_folder, "--no-sr", "memory", "4M");
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions(), default);

        Assert.False(device.Capabilities.HasFlag(DeviceCapabilities.Extents));
        Assert.Equal([new Extent(4096, 8192, ExtentKind.Data)], await device.GetExtentsAsync(4096, 8192, default));
        var back = new byte[MiB];
        await device.ReadAsync(0, back, default);
        Assert.True(back.AsSpan().IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public async Task ReadAsync_ServerKilledMidRead_FailsTransientWithoutHanging()
    {
        await using var peer = await NbdPeer.StartNbdkitAsync(_folder, "--filter=delay", "memory", "16M", "rdelay=3");
        await using var device = await NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { Connections = 1, Timeout = TimeSpan.FromSeconds(20) }, default);
        var watch = Stopwatch.StartNew();
        var reads = Enumerable.Range(0, 8).Select(i => device.ReadAsync(i * MiB, new byte[MiB], default).AsTask()).ToArray();
        await Task.Delay(300);

        peer.Kill();

        foreach (var read in reads)
        {
            var error = await Assert.ThrowsAsync<BlockDeviceException>(() => read);
            Assert.True(error.IsTransient, error.Message);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the reads took {watch.Elapsed}");
        var after = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(0, new byte[4096], default).AsTask());
        Assert.True(after.IsTransient);
    }
}
