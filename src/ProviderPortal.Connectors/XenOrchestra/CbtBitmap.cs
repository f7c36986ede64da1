using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// The answer of <c>VDI.list_changed_blocks</c>: base64 of a bitmap with one bit per 64 KiB block, the first
/// block in the most significant bit of the first byte (XO reads it as big-endian 32-bit words, which is the same order).
/// </summary>
public static class CbtBitmap
{
    public const int BlockSize = 64 * 1024;

    /// <summary>The changed ranges, sorted and merged, cut at <paramref name="diskSize"/> (the last block may be partial).</summary>
    public static IReadOnlyList<ByteRange> Decode(string base64, long diskSize)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] bits;
        try
        {
            bits = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, "XAPI returned a changed-block bitmap that is not base64.", ex);
        }

        var ranges = new List<ByteRange>();
        long runStart = -1;
        var blocks = (long)bits.Length * 8;
        for (long block = 0; block <= blocks; block++)
        {
            var set = block < blocks && (bits[block >> 3] & (0x80 >> (int)(block & 7))) != 0 && block * BlockSize < diskSize;
            if (set && runStart < 0)
            {
                runStart = block;
            }
            else if (!set && runStart >= 0)
            {
                var offset = runStart * BlockSize;
                var end = Math.Min(block * BlockSize, diskSize);
                ranges.Add(new ByteRange(offset, end - offset));
                runStart = -1;
            }
        }

        return ranges;
    }
}
