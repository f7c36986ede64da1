using System.IO.Hashing;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Copy;

/// <summary>Compares two whole devices chunk by chunk (holes compare as zeroes), skipping what both report as zero.</summary>
public static class BlockVerifier
{
    private const int ChunkSize = 4 * 1024 * 1024;

    public static async Task<VerifyResult> VerifyAsync(IBlockDevice source, IBlockDevice target, CancellationToken cancellationToken = default, int parallelism = 4)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var size = Math.Min(source.Size, target.Size);
        var chunkSize = Math.Min(ChunkSize, Math.Min(source.MaximumRequestSize, target.MaximumRequestSize));
        var chunks = (size + chunkSize - 1) / chunkSize;
        long? first = null;
        long compared = 0;
        var sync = new Lock();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0L, chunks, options, async (index, token) =>
        {
            var offset = index * chunkSize;
            var length = (int)Math.Min(chunkSize, size - offset);
            if (await ReadsAsZeroAsync(source, offset, length, token) && await ReadsAsZeroAsync(target, offset, length, token))
            {
                Interlocked.Add(ref compared, length);
                return;
            }

            var sourceBytes = new byte[length];
            var targetBytes = new byte[length];
            await source.ReadAsync(offset, sourceBytes, token);
            await target.ReadAsync(offset, targetBytes, token);
            Interlocked.Add(ref compared, length);
            if (XxHash128.HashToUInt128(sourceBytes) == XxHash128.HashToUInt128(targetBytes))
            {
                return;
            }

            var difference = offset + sourceBytes.AsSpan().CommonPrefixLength(targetBytes);
            lock (sync)
            {
                first = first is { } known ? Math.Min(known, difference) : difference;
            }
        });

        if (first is null && source.Size != target.Size)
        {
            first = size;
        }

        return new VerifyResult(first is null, first, compared);
    }

    private static async ValueTask<bool> ReadsAsZeroAsync(IBlockDevice device, long offset, int length, CancellationToken token)
    {
        if (!device.Capabilities.HasFlag(DeviceCapabilities.Extents))
        {
            return false;
        }

        var extents = await device.GetExtentsAsync(offset, length, token);
        var covered = offset;
        foreach (var extent in extents)
        {
            if (!extent.ReadsAsZero || extent.Offset > covered)
            {
                return false;
            }

            covered = Math.Max(covered, extent.End);
        }

        return covered >= offset + length;
    }
}
