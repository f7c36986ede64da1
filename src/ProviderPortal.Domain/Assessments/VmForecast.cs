namespace ProviderPortal.Domain.Assessments;

/// <summary>One VM's row of the forecast, under the recommended method. Bytes are bytes, rates bytes/s.</summary>
/// <param name="NetworkCopyDuration">Its baseline over the network at its bandwidth share: allocated / per-VM bandwidth.</param>
/// <param name="ChangeRatio">ρ = mean change rate / per-VM bandwidth; delta cycles converge when ρ &lt; 1.</param>
/// <param name="DeltaCycles">Delta cycles run back to back until a cycle's delta is down to one interval's changes; 0 when ρ ≥ 1, MaxDeltaCycles when it converges too slowly.</param>
/// <param name="ResidualDeltaBytes">The delta each cycle copies once caught up (mean rate × interval); ρ ≥ 1: what changed during its baseline; too slow: what is left after the last cycle.</param>
/// <param name="FinalDeltaBytes">What the cutover copies with the VM off: peak rate × interval when converged; ρ ≥ 1: every change since its baseline snapshot; too slow: max(left, peak rate × interval). Never above its capacity.</param>
/// <param name="CutoverDowntime">Shutdown allowance + final delta / per-VM bandwidth + boot allowance.</param>
/// <param name="ReadyForCutover">Offset when it has caught up (or, not converging, when its baseline ended).</param>
/// <param name="NotConvergentReason">Plain words; null when it converges.</param>
public sealed record VmForecast(
    string VmId,
    string Name,
    long AllocatedBytes,
    TimeSpan NetworkCopyDuration,
    double ChangeRatio,
    bool Convergent,
    int DeltaCycles,
    long ResidualDeltaBytes,
    long FinalDeltaBytes,
    TimeSpan CutoverDowntime,
    TimeSpan ReadyForCutover,
    string? NotConvergentReason,
    IReadOnlyList<ReadinessWarning> Warnings);
