using ProviderPortal.Replication.Copy;

namespace ProviderPortal.Replication.Seed;

/// <summary>How an ingest runs.</summary>
public sealed record SeedIngestOptions
{
    /// <summary>Chunks verified or written at once.</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The caller knows the target reads as zeroes, so the ranges without data are not written (a new file is known to).</summary>
    public bool TargetIsZero { get; init; }

    /// <summary>
    /// Bytes handled: every chunk's bytes once when verified and once when written, so the total is twice the disk's
    /// allocated data (verification ends at half).
    /// </summary>
    public IProgress<CopyProgress>? Progress { get; init; }

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
