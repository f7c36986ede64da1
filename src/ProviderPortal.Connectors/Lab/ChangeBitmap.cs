using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Lab;

/// <summary>One bit per 64 KiB block of a disk: the blocks written since a point in time.</summary>
internal static class ChangeBitmap
{
    public static byte[] Create(long capacity) => new byte[(BlockCount(capacity) + 7) / 8];

    public static long BlockCount(long capacity) => (capacity + LabEnvironment.BlockSize - 1) / LabEnvironment.BlockSize;

    public static void Mark(byte[] bits, long offset, long length)
    {
        if (length <= 0)
        {
            return;
        }

        var first = offset / LabEnvironment.BlockSize;
        var last = (offset + length - 1) / LabEnvironment.BlockSize;
        for (var block = first; block <= last; block++)
        {
            bits[block >> 3] |= (byte)(1 << (int)(block & 7));
        }
    }

    public static void Or(byte[] into, byte[] from)
    {
        var count = Math.Min(into.Length, from.Length);
        for (var i = 0; i < count; i++)
        {
            into[i] |= from[i];
        }
    }

    /// <summary>The marked blocks as sorted, merged ranges, the last cut at the disk's end.</summary>
    public static List<ByteRange> ToRanges(byte[] bits, long capacity)
    {
        var ranges = new List<ByteRange>();
        var blocks = BlockCount(capacity);
        long start = -1;
        for (var block = 0L; block <= blocks; block++)
        {
            var marked = block < blocks && (bits[block >> 3] & (1 << (int)(block & 7))) != 0;
            if (marked && start < 0)
            {
                start = block;
            }
            else if (!marked && start >= 0)
            {
                var offset = start * LabEnvironment.BlockSize;
                var end = Math.Min(capacity, block * LabEnvironment.BlockSize);
                ranges.Add(new ByteRange(offset, end - offset));
                start = -1;
            }
        }

        return ranges;
    }
}
