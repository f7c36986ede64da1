using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>The <c>Replication</c> section: how many copies run at once across all tenants, and the engine's settings per copy.</summary>
public sealed class ReplicationOptions
{
    /// <summary>Copies running at once across every tenant (each tenant is also held to its own limit).</summary>
    public int MaxConcurrentCopies { get; set; } = 8;

    /// <summary>How often the dispatcher looks at the queue besides being nudged.</summary>
    public int DispatchSeconds { get; set; } = 5;

    /// <summary>A connected worker not heard of for this long (its portal node died) is taken as gone.</summary>
    public int WorkerTimeoutSeconds { get; set; } = 60;

    public int RangeSizeMiB { get; set; } = 128;

    public int CopyWorkers { get; set; } = 4;

    public double CheckpointEverySeconds { get; set; } = 30;

    public int CheckpointEveryMiB { get; set; } = 1024;

    /// <summary>Hash every copied range on both sides after baselines and cycles too (the cutover's final copy always is).</summary>
    public bool VerifyCopies { get; set; }

    /// <summary>How long a guest may take to shut down at cutover before it is powered off hard.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 300;

    /// <summary>How long a cutover waits for its final copies before it rolls back.</summary>
    public int FinalCopyTimeoutMinutes { get; set; } = 120;

    public CopyTuning Tuning() =>
        new(Math.Max(1, RangeSizeMiB) * 1024L * 1024, Math.Max(1, CopyWorkers), Math.Max(0.1, CheckpointEverySeconds), Math.Max(1, CheckpointEveryMiB) * 1024L * 1024);
}
