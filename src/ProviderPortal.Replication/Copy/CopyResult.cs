namespace ProviderPortal.Replication.Copy;

/// <summary>What a copy did. Bytes skipped were zero in the source and known zero in the target.</summary>
public sealed record CopyResult
{
    public long BytesRead { get; init; }

    public long BytesWritten { get; init; }

    public long BytesWrittenAsZeroes { get; init; }

    public long BytesSkipped { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Ranges (of <see cref="CopyOptions.RangeSize"/>) that had something to copy.</summary>
    public int Ranges { get; init; }

    public int Attempts { get; init; } = 1;

    /// <summary>True when <see cref="CopyOptions.Verify"/> was set and every copied byte compared equal.</summary>
    public bool Verified { get; init; }

    /// <summary>With Verify: the first offset where target and source differ; null when none does.</summary>
    public long? FirstMismatchOffset { get; init; }
}
