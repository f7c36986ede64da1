namespace ProviderPortal.Replication.Seed;

/// <summary>What an ingest did: every chunk verified, then written; the ranges without data zeroed unless the target reads as zeroes.</summary>
public sealed record SeedIngestResult
{
    public required string DiskId { get; init; }

    public long DiskSize { get; init; }

    /// <summary>What the disk was read from when it was written (the snapshot's id), empty when the writer did not say.</summary>
    public string SourceId { get; init; } = "";

    public int ChunksVerified { get; init; }

    public long BytesWritten { get; init; }

    public long BytesZeroed { get; init; }

    public TimeSpan Elapsed { get; init; }
}
