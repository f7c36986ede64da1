namespace ProviderPortal.Replication.Copy;

/// <summary>What a copy did so far, across retries; updated by many requests at once.</summary>
internal sealed class CopyCounters
{
    private long _bytesRead;
    private long _bytesWritten;
    private long _bytesZeroed;
    private long _bytesSkipped;
    private int _ranges;

    public void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void Written(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    public void Zeroed(long bytes) => Interlocked.Add(ref _bytesZeroed, bytes);

    public void Skipped(long bytes) => Interlocked.Add(ref _bytesSkipped, bytes);

    public void RangeDone() => Interlocked.Increment(ref _ranges);

    public CopyResult ToResult(TimeSpan elapsed, int attempts, bool verified, long? firstMismatch) => new()
    {
        BytesRead = Interlocked.Read(ref _bytesRead),
        BytesWritten = Interlocked.Read(ref _bytesWritten),
        BytesWrittenAsZeroes = Interlocked.Read(ref _bytesZeroed),
        BytesSkipped = Interlocked.Read(ref _bytesSkipped),
        Elapsed = elapsed,
        Ranges = Volatile.Read(ref _ranges),
        Attempts = attempts,
        Verified = verified,
        FirstMismatchOffset = firstMismatch,
    };
}
