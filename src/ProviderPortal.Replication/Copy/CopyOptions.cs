namespace ProviderPortal.Replication.Copy;

/// <summary>How a copy runs: request and range sizes, parallelism, memory caps, checkpoints, retries, throttling.</summary>
public sealed record CopyOptions
{
    public const int MiB = 1024 * 1024;

    /// <summary>
    /// Bytes per read/write; clipped to both devices' maximum. 1 MiB: fewer requests than nbdcopy's 256 KiB
    /// (less CPU per byte on the client and the servers), a quarter of the buffer memory of 4 MiB, same speed.
    /// </summary>
    public int RequestSize { get; init; } = MiB;

    /// <summary>The unit a worker takes at a time, fetching extents for it once.</summary>
    public long RangeSize { get; init; } = 128L * MiB;

    public int Workers { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);

    public int MaxRequestsInFlight { get; init; } = 64;

    /// <summary>Caps the data buffers in use (and so the copier's memory): MaxBytesInFlight / RequestSize buffers.</summary>
    public long MaxBytesInFlight { get; init; } = 128L * MiB;

    /// <summary>The caller knows the target reads as zeroes, even if it does not say so itself.</summary>
    public bool TargetIsZero { get; init; }

    /// <summary>After the copy, hash the copied ranges of source and target and compare.</summary>
    public bool Verify { get; init; }

    /// <summary>This copy's own rate limit on bytes written.</summary>
    public Throttle? Throttle { get; init; }

    /// <summary>
    /// A second limit the writers also keep to, shared with other copies (a tenant's cap over all its copies):
    /// every write waits on both <see cref="Throttle"/> and this, so the copy runs at the lower of the two rates.
    /// </summary>
    public Throttle? SharedThrottle { get; init; }

    /// <summary>Data buffers are scanned in blocks of this size for all-zero runs; 0 turns detection off.</summary>
    public int ZeroDetectionBlockSize { get; init; } = 64 * 1024;

    /// <summary>A checkpoint is flushed and reported once the done offset moved this far…</summary>
    public long CheckpointEveryBytes { get; init; } = 1024L * MiB;

    /// <summary>…or this long after the last one.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Without checkpoints the target is still flushed in the background each time this many bytes were
    /// copied, so the target's writeback overlaps the copy instead of one long flush at the end; 0 turns it off.
    /// </summary>
    public long FlushEveryBytes { get; init; } = 1024L * MiB;

    /// <summary>
    /// Flush the target before the copy reports success (and in the background while it runs). Off only for
    /// a copy that may be lost with the target's cache, as nbdcopy without --flush; a copy with checkpoints
    /// always flushes, since a checkpoint promises the data below it is durable.
    /// </summary>
    public bool FlushTarget { get; init; } = true;

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public RetryPolicy Retry { get; init; } = new();
}
