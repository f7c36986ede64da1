using System.Buffers.Binary;
using System.Security.Cryptography;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Seed;

/// <summary>The chunks of a disk's allocated data: its data extents cut at multiples of the chunk size. Holes and zero extents are left out.</summary>
internal sealed class SeedPlan
{
    private const long ExtentQueryLength = 1L << 30;

    private SeedPlan(long diskSize, int chunkSize, List<(long Offset, int Length)> chunks)
    {
        DiskSize = diskSize;
        ChunkSize = chunkSize;
        Chunks = chunks;
        DataBytes = chunks.Sum(c => (long)c.Length);
        Id = ComputeId();
    }

    public long DiskSize { get; }

    public int ChunkSize { get; }

    public List<(long Offset, int Length)> Chunks { get; }

    public long DataBytes { get; }

    public string Id { get; }

    public static async Task<SeedPlan> BuildAsync(IBlockDevice source, int chunkSize, CancellationToken cancellationToken)
    {
        var size = source.Size;
        var data = new List<ByteRange>();
        for (var offset = 0L; offset < size; offset += ExtentQueryLength)
        {
            var length = Math.Min(ExtentQueryLength, size - offset);
            IReadOnlyList<Extent> extents = source.Capabilities.HasFlag(DeviceCapabilities.Extents)
                ? await source.GetExtentsAsync(offset, length, cancellationToken)
                : [new Extent(offset, length, ExtentKind.Data)];
            foreach (var extent in extents.Where(e => e.Kind == ExtentKind.Data))
            {
                var start = Math.Max(extent.Offset, offset);
                var end = Math.Min(extent.End, Math.Min(size, offset + length));
                if (end <= start)
                {
                    continue;
                }

                if (data.Count > 0 && data[^1].End == start)
                {
                    data[^1] = data[^1] with { Length = end - data[^1].Offset };
                }
                else
                {
                    data.Add(new ByteRange(start, end - start));
                }
            }
        }

        var chunks = new List<(long, int)>();
        foreach (var range in data)
        {
            for (var position = range.Offset; position < range.End;)
            {
                var end = Math.Min(range.End, ((position / chunkSize) + 1) * chunkSize);
                chunks.Add((position, (int)(end - position)));
                position = end;
            }
        }

        return new SeedPlan(size, chunkSize, chunks);
    }

    private string ComputeId()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> word = stackalloc byte[8];
        hash.AppendData("providerportal-seed-plan-v1"u8);
        BinaryPrimitives.WriteInt64LittleEndian(word, DiskSize);
        hash.AppendData(word);
        BinaryPrimitives.WriteInt64LittleEndian(word, ChunkSize);
        hash.AppendData(word);
        foreach (var (offset, length) in Chunks)
        {
            BinaryPrimitives.WriteInt64LittleEndian(word, offset);
            hash.AppendData(word);
            BinaryPrimitives.WriteInt64LittleEndian(word, length);
            hash.AppendData(word);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
