namespace ProviderPortal.Replication.Seed;

/// <summary>What a seed write did. Chunks recorded by an earlier, interrupted write are counted as skipped, not written again.</summary>
public sealed record SeedWriteResult
{
    public required string DiskId { get; init; }

    public long DiskSize { get; init; }

    /// <summary>Bytes of allocated data in the disk's plan (holes and zero runs left out).</summary>
    public long DataBytes { get; init; }

    public int ChunkCount { get; init; }

    public int ChunksWritten { get; init; }

    /// <summary>Chunks that read as zeroes: recorded, no file.</summary>
    public int ZeroChunks { get; init; }

    public int ChunksSkipped { get; init; }

    public long BytesRead { get; init; }

    /// <summary>Bytes of chunk files written to the devices.</summary>
    public long BytesWritten { get; init; }

    /// <summary>Devices the disk is on (its parts).</summary>
    public int Parts { get; init; }

    public TimeSpan Elapsed { get; init; }
}
