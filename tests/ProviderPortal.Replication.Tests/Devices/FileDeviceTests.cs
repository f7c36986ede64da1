using System.Security.Cryptography;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Devices;

public sealed class FileDeviceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("filedevice-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetExtentsAsync_SparseFile_ReportsWrittenBlocksAsData()
    {
        var path = CreateSparse("sparse.img");
        await using var device = FileDevice.Open(path, new BlockDeviceOpenOptions());

        var extents = await device.GetExtentsAsync(0, device.Size, CancellationToken.None);

        Assert.Equal(
            [
                new Extent(0, MiB, ExtentKind.Hole),
                new Extent(MiB, MiB, ExtentKind.Data),
                new Extent(2L * MiB, 8L * MiB, ExtentKind.Hole),
                new Extent(10L * MiB, 64 * 1024, ExtentKind.Data),
                new Extent((10L * MiB) + (64 * 1024), (16L * MiB) - (10L * MiB) - (64 * 1024), ExtentKind.Hole),
            ],
            extents);
    }

    [Fact]
    public async Task CopyAsync_FileToNewFile_TargetStaysSparseAndEqual()
    {
        var sourcePath = CreateSparse("source.img");
        var targetPath = Path.Combine(_directory, "target.img");
        await using var source = FileDevice.Open(sourcePath, new BlockDeviceOpenOptions());
        await using var target = FileDevice.Open(targetPath, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = source.Size });
        Assert.True(target.Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized));

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = new CopyOptions { Verify = true } });

        Assert.True(result.Verified);
        Assert.Equal(MiB + (64 * 1024), result.BytesRead);
        Assert.Equal(AllocatedDataBytes(source), AllocatedDataBytes(target));
        Assert.Equal(Sha256(sourcePath), Sha256(targetPath));
    }

    [Fact]
    public async Task WriteZeroesAsync_OverData_PunchesAHole()
    {
        var path = CreateSparse("punch.img");
        await using var device = FileDevice.Open(path, new BlockDeviceOpenOptions { Writable = true });

        await device.WriteZeroesAsync(MiB, MiB, CancellationToken.None);

        Assert.Equal(64 * 1024, AllocatedDataBytes(device));
        var bytes = new byte[MiB];
        await device.ReadAsync(MiB, bytes, CancellationToken.None);
        Assert.All(bytes, b => Assert.Equal(0, b));
        Assert.False(device.Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized));
    }

    [Fact]
    public async Task WriteAsync_ReadOnlyDevice_RefusedWithThePath()
    {
        var path = CreateSparse("ro.img");
        await using var device = FileDevice.Open(path, new BlockDeviceOpenOptions());

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.WriteAsync(0, new byte[] { 1 }, CancellationToken.None).AsTask());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void Open_MissingFileForReading_FailsNamingTheFile()
    {
        var path = Path.Combine(_directory, "missing.img");

        var error = Assert.Throws<BlockDeviceException>(() => FileDevice.Open(path, new BlockDeviceOpenOptions()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>16 MiB with data at [1 MiB, 2 MiB) and [10 MiB, 10 MiB + 64 KiB), holes elsewhere.</summary>
    private string CreateSparse(string name)
    {
        var path = Path.Combine(_directory, name);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(16L * MiB);
        var random = new Random(3);
        var data = new byte[MiB];
        random.NextBytes(data);
        stream.Position = MiB;
        stream.Write(data);
        stream.Position = 10L * MiB;
        stream.Write(data, 0, 64 * 1024);
        return path;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
