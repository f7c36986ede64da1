namespace ProviderPortal.Replication.Copy;

/// <summary>How far a copy is: bytes handled (copied, zeroed or skipped) of the plan's total, the recent rate, and the time left at that rate.</summary>
public readonly record struct CopyProgress(long BytesDone, long BytesTotal, double BytesPerSecond, TimeSpan? EstimatedTimeRemaining);
