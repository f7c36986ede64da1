using ProviderPortal.Connectors.XenOrchestra;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Connectors.Tests.XenOrchestra;

public sealed class CbtBitmapTests
{
    private const int Block = CbtBitmap.BlockSize;

    [Fact]
    public void Decode_MostSignificantBitFirst_FirstBlockIsTheHighBit()
    {
        var ranges = CbtBitmap.Decode(Convert.ToBase64String([0x80, 0x01]), 16L * Block);

        Assert.Equal([new ByteRange(0, Block), new ByteRange(15L * Block, Block)], ranges);
    }

    [Fact]
    public void Decode_AdjacentBlocksAcrossBytes_MergedIntoOneRange()
    {
        var ranges = CbtBitmap.Decode(Convert.ToBase64String([0x03, 0xC0]), 16L * Block);

        Assert.Equal([new ByteRange(6L * Block, 4L * Block)], ranges);
    }

    [Fact]
    public void Decode_DiskEndsInsideTheLastBlock_RangeCutAtTheDiskSize()
    {
        var size = 9L * Block + 4096;

        var ranges = CbtBitmap.Decode(Convert.ToBase64String([0x00, 0xFF]), size);

        Assert.Equal([new ByteRange(8L * Block, Block + 4096)], ranges);
    }

    [Fact]
    public void Decode_EmptyBitmap_NoRanges()
    {
        Assert.Empty(CbtBitmap.Decode(Convert.ToBase64String(new byte[8]), 64L * Block));
    }

    [Fact]
    public void Decode_NotBase64_ProtocolError()
    {
        var ex = Assert.Throws<ConnectorException>(() => CbtBitmap.Decode("not base64!", Block));

        Assert.Equal(ConnectorErrorKind.Protocol, ex.Kind);
    }
}
