namespace ProviderPortal.Domain.Assessments;

/// <summary>The pre-flight forecast of one migration group. Offsets and durations are TimeSpans from the start of the migration.</summary>
public sealed record Forecast
{
    public required BandwidthEstimate Bandwidth { get; init; }

    /// <summary>Per-VM rows, in the order the VMs were given.</summary>
    public required IReadOnlyList<VmForecast> Vms { get; init; }

    public required long TotalAllocatedBytes { get; init; }

    /// <summary>End of the last baseline over the network (VMs scheduled across the parallel slots).</summary>
    public required TimeSpan NetworkInitialCopy { get; init; }

    /// <summary>When every VM would be ready for cutover going over the network.</summary>
    public required TimeSpan NetworkReadyForCutover { get; init; }

    /// <summary>The seed-device route; null when the catalog is empty.</summary>
    public required SeedDevicePlan? SeedDevice { get; init; }

    public required TransferMethod Method { get; init; }

    /// <summary>Why that method, in plain words with the figures compared.</summary>
    public required string MethodReason { get; init; }

    /// <summary>When the group's cutover can start under the recommended method: the latest VM's ReadyForCutover.</summary>
    public required TimeSpan CutoverStart { get; init; }

    /// <summary>Σ of the VMs' final deltas, bytes.</summary>
    public required long GroupFinalDeltaBytes { get; init; }

    /// <summary>Shutdown allowance + the final deltas scheduled across the parallel slots + boot allowance: the group is down together.</summary>
    public required TimeSpan GroupDowntime { get; init; }

    /// <summary>GroupDowntime + window margin, rounded up to the window rounding.</summary>
    public required TimeSpan WindowLength { get; init; }

    public bool AllConvergent => Vms.All(v => v.Convergent);

    public required ConfidenceAssessment Confidence { get; init; }

    /// <summary>Bars ordered by start, then phase, then VM id.</summary>
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }

    public IEnumerable<ReadinessWarning> Warnings => Vms.SelectMany(v => v.Warnings);
}
