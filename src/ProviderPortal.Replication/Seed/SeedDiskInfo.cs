namespace ProviderPortal.Replication.Seed;

/// <summary>A disk found on seed devices (read with the key): its size, data, chunks, parts and whether its writing finished.</summary>
public sealed record SeedDiskInfo(string DiskId, long DiskSize, long DataBytes, int ChunkCount, int ChunksRecorded, int PartCount, int PartsFound, bool Complete)
{
    /// <summary>What the disk was read from (the snapshot's id given to the writer), empty when it did not say.</summary>
    public string SourceId { get; init; } = "";
}
