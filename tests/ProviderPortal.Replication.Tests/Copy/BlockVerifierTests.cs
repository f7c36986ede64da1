using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Copy;

public class BlockVerifierTests
{
    [Fact]
    public async Task VerifyAsync_HoleAgainstWrittenZeroes_Equal()
    {
        var source = Mixed(out _);
        var target = new MemoryDevice("target", source.Size);
        await target.WriteAsync(0, source.ToArray(), CancellationToken.None);

        var result = await BlockVerifier.VerifyAsync(source, target);

        Assert.True(result.Equal);
        Assert.Equal(source.Size, result.BytesCompared);
    }

    [Fact]
    public async Task VerifyAsync_OneFlippedByte_ReportsItsOffset()
    {
        var source = Mixed(out _);
        var target = new MemoryDevice("target", source.Size);
        var bytes = source.ToArray();
        bytes[5_500_000] ^= 0x10;
        await target.WriteAsync(0, bytes, CancellationToken.None);

        var result = await BlockVerifier.VerifyAsync(source, target);

        Assert.False(result.Equal);
        Assert.Equal(5_500_000, result.FirstDifference);
    }

    [Fact]
    public async Task VerifyAsync_DataWhereSourceHasAHole_ReportsTheFirstByte()
    {
        var source = new MemoryDevice("source", 8L * MiB);
        var target = new MemoryDevice("target", 8L * MiB);
        await target.WriteAsync((6L * MiB) + 3, new byte[] { 1 }, CancellationToken.None);

        var result = await BlockVerifier.VerifyAsync(source, target);

        Assert.Equal((6L * MiB) + 3, result.FirstDifference);
    }
}
