namespace ProviderPortal.Replication.Seed;

/// <summary>A disk found on seed devices (read with the key): its size, data, chunks, parts and whether its writing finished.</summary>
public sealed record SeedDiskInfo(string DiskId, long DiskSize, long DataBytes, int ChunkCount, int ChunksRecorded, int PartCount, int PartsFound, bool Complete);
