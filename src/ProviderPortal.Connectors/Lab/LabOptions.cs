namespace ProviderPortal.Connectors.Lab;

/// <summary>How a lab is created and shared.</summary>
public sealed record LabOptions
{
    /// <summary>Pseudo-random data written into each disk of a new default lab (besides a few all-zero runs).</summary>
    public long DataBytesPerDisk { get; init; } = 24L * 1024 * 1024;

    /// <summary>Seeds the default lab's data, so two labs created alike hold the same bytes.</summary>
    public int RandomSeed { get; init; } = 20_261_123;

    /// <summary>Longest wait for another process's state change before a call fails with Timeout.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
