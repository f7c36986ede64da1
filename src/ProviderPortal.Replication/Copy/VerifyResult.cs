namespace ProviderPortal.Replication.Copy;

/// <summary>The outcome of comparing two devices: equal, or the first offset where they differ.</summary>
public sealed record VerifyResult(bool Equal, long? FirstDifference, long BytesCompared);
