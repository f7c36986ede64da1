using ProviderPortal.Replication.Copy;

namespace ProviderPortal.Replication.Seed;

/// <summary>How a seed write runs: chunk size, parallelism, throttling, how often the manifest (its checkpoint) is saved.</summary>
public sealed record SeedWriteOptions
{
    /// <summary>
    /// What the disk is read from (the snapshot's id): recorded with the disk, and a resumed write must name the same, so a
    /// device never ends up with chunks of two snapshots of one disk. The ingest reports it, so the portal knows which
    /// snapshot the destination holds and sends the changes since that one. Null: not checked.
    /// </summary>
    public string? SourceId { get; init; }

    /// <summary>Plaintext bytes per chunk (a chunk never crosses a multiple of this); at least 64 KiB.</summary>
    public int ChunkSize { get; init; } = 4 * CopyOptions.MiB;

    /// <summary>Chunks read, encrypted and written at once.</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>This write's own rate limit on bytes written to the device.</summary>
    public Throttle? Throttle { get; init; }

    /// <summary>A second limit shared with other copies (a tenant's cap over all its copies).</summary>
    public Throttle? SharedThrottle { get; init; }

    /// <summary>The manifest is saved (and a checkpoint reported) once this many chunks were recorded since the last save…</summary>
    public int CheckpointEveryChunks { get; init; } = 64;

    /// <summary>…or this long after the last save.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called after the manifest recording the chunks so far was saved to every device.</summary>
    public Func<SeedWriteCheckpoint, CancellationToken, ValueTask>? OnCheckpoint { get; init; }

    /// <summary>Bytes of the disk's allocated data handled (written or found to be zeroes) of its total.</summary>
    public IProgress<CopyProgress>? Progress { get; init; }

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>The manifest records <see cref="ChunksRecorded"/> of the disk's chunks; a new write resumes after them.</summary>
public readonly record struct SeedWriteCheckpoint(string DiskId, int ChunksRecorded, int ChunkCount, long BytesRecorded);
