using System.Buffers.Binary;
using System.IO.Hashing;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Copy;

/// <summary>A plan turned into sorted, merged ranges inside the source, with its identity for checkpoints.</summary>
internal sealed class ResolvedPlan
{
    private const long BitmapQueryLength = 1L << 30;

    private ResolvedPlan(long sourceSize, IReadOnlyList<ByteRange> segments, string id)
    {
        SourceSize = sourceSize;
        Segments = segments;
        Id = id;
        TotalBytes = segments.Sum(s => s.Length);
    }

    public long SourceSize { get; }

    public IReadOnlyList<ByteRange> Segments { get; }

    public string Id { get; }

    public long TotalBytes { get; }

    public static async Task<ResolvedPlan> ResolveAsync(IBlockDevice source, CopyPlan plan, CancellationToken cancellationToken)
    {
        var size = source.Size;
        IReadOnlyList<ByteRange> segments;
        if (plan.IsFull)
        {
            segments = size > 0 ? [new ByteRange(0, size)] : [];
        }
        else if (plan.Changes is not null)
        {
            segments = Normalize(plan.Changes, size);
        }
        else
        {
            var dirty = new List<ByteRange>();
            for (var offset = 0L; offset < size; offset += BitmapQueryLength)
            {
                dirty.AddRange(await source.GetDirtyRangesAsync(plan.DirtyBitmap!, offset, Math.Min(BitmapQueryLength, size - offset), cancellationToken));
            }

            segments = Normalize(dirty, size);
        }

        return new ResolvedPlan(size, segments, ComputeId(size, plan.IsFull, segments));
    }

    /// <summary>Plan bytes below <paramref name="offset"/>.</summary>
    public long BytesBelow(long offset) =>
        Segments.Sum(s => Math.Clamp(offset - s.Offset, 0, s.Length));

    private static List<ByteRange> Normalize(IEnumerable<ByteRange> ranges, long size)
    {
        var merged = new List<ByteRange>();
        foreach (var range in ranges.OrderBy(r => r.Offset))
        {
            var start = Math.Max(0, range.Offset);
            var end = Math.Min(size, range.End);
            if (end <= start)
            {
                continue;
            }

            if (merged.Count > 0 && merged[^1].End >= start)
            {
                var last = merged[^1];
                merged[^1] = last with { Length = Math.Max(last.End, end) - last.Offset };
            }
            else
            {
                merged.Add(new ByteRange(start, end - start));
            }
        }

        return merged;
    }

    private static string ComputeId(long size, bool full, IReadOnlyList<ByteRange> segments)
    {
        var hash = new XxHash128();
        Span<byte> word = stackalloc byte[8];
        hash.Append("provider-portal-copy-plan-v1"u8);
        BinaryPrimitives.WriteInt64LittleEndian(word, size);
        hash.Append(word);
        hash.Append(full ? "full"u8 : "ranges"u8);
        foreach (var segment in segments)
        {
            BinaryPrimitives.WriteInt64LittleEndian(word, segment.Offset);
            hash.Append(word);
            BinaryPrimitives.WriteInt64LittleEndian(word, segment.Length);
            hash.Append(word);
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
