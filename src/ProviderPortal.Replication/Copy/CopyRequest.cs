namespace ProviderPortal.Replication.Copy;

/// <summary>One copy: the plan, the options, where to resume, and whom to tell about checkpoints and progress.</summary>
public sealed record CopyRequest
{
    public CopyPlan Plan { get; init; } = CopyPlan.Full;

    public CopyOptions Options { get; init; } = new();

    /// <summary>A checkpoint from an earlier run of the same plan: everything below its offset is skipped.</summary>
    public CopyCheckpoint? ResumeFrom { get; init; }

    /// <summary>Called after the target was flushed, with a checkpoint that is safe to persist.</summary>
    public Func<CopyCheckpoint, CancellationToken, ValueTask>? OnCheckpoint { get; init; }

    public IProgress<CopyProgress>? Progress { get; init; }
}
