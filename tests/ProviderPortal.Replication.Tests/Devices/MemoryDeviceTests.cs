using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Tests.Devices;

public class MemoryDeviceTests
{
    [Fact]
    public async Task GetExtentsAsync_MixedLayout_ReportsDataHoleAndZero()
    {
        await using var device = new MemoryDevice("m", 4L * MemoryDevice.ChunkSize);
        await device.WriteAsync(10, new byte[] { 1, 2, 3 }, CancellationToken.None);
        await device.WriteZeroesAsync(2L * MemoryDevice.ChunkSize, MemoryDevice.ChunkSize, CancellationToken.None);

        var extents = await device.GetExtentsAsync(0, device.Size, CancellationToken.None);

        Assert.Equal(
            [
                new Extent(0, MemoryDevice.ChunkSize, ExtentKind.Data),
                new Extent(MemoryDevice.ChunkSize, MemoryDevice.ChunkSize, ExtentKind.Hole),
                new Extent(2L * MemoryDevice.ChunkSize, MemoryDevice.ChunkSize, ExtentKind.Zero),
                new Extent(3L * MemoryDevice.ChunkSize, MemoryDevice.ChunkSize, ExtentKind.Hole),
            ],
            extents);
    }

    [Fact]
    public async Task Capabilities_AfterAWrite_NoLongerZeroInitialized()
    {
        await using var device = new MemoryDevice("m", 1000);
        Assert.True(device.Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized));

        await device.WriteAsync(0, new byte[] { 1 }, CancellationToken.None);

        Assert.False(device.Reopen().Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized));
    }

    [Fact]
    public async Task ReadAsync_FailRequestSet_ThrowsTransientOnThatRequestOnly()
    {
        await using var device = new MemoryDevice("disk-a", 1000);
        device.FailRequest(2);
        var buffer = new byte[10];

        await device.ReadAsync(0, buffer, CancellationToken.None);
        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(0, buffer, CancellationToken.None).AsTask());
        await device.ReadAsync(0, buffer, CancellationToken.None);

        Assert.True(error.IsTransient);
        Assert.Contains("disk-a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDirtyRangesAsync_OverlappingMarks_MergedAndClipped()
    {
        await using var device = new MemoryDevice("m", 1000);
        device.MarkDirty("b", 100, 50);
        device.MarkDirty("b", 140, 30);
        device.MarkDirty("b", 900, 200);

        var ranges = await device.GetDirtyRangesAsync("b", 0, 950, CancellationToken.None);

        Assert.Equal([new ByteRange(100, 70), new ByteRange(900, 50)], ranges);
    }
}
