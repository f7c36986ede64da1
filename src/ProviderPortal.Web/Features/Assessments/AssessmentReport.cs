using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>What the report page shows: the assessment, what was observed, and the forecast made from it.</summary>
public sealed record AssessmentReport
{
    public required AssessmentRow Assessment { get; init; }

    public required bool IsLab { get; init; }

    /// <summary>Null when no forecast can be made yet (say why in <see cref="ForecastUnavailable"/>).</summary>
    public Forecast? Forecast { get; init; }

    public string? ForecastUnavailable { get; init; }

    public required IReadOnlyList<ObservedVm> Vms { get; init; }

    /// <summary>Per sampling round: the unique bytes/s changed over all observed VMs.</summary>
    public required IReadOnlyList<RatePoint> ChangeRate { get; init; }

    /// <summary>Per sampling round: the bandwidth the copy could use (measured throughput, capped by the tenant's cap).</summary>
    public required IReadOnlyList<RatePoint> AvailableBandwidth { get; init; }

    public double? MeasuredBytesPerSecond { get; init; }

    public double? LatencyMilliseconds { get; init; }

    public double? LossRatio { get; init; }

    public required double TenantCapBytesPerSecond { get; init; }
}

/// <param name="MeanBytesPerSecond">Mean unique change rate over the measuring rounds.</param>
/// <param name="PeakBytesPerSecond">95th percentile (nearest rank) of the rounds' rates.</param>
public sealed record ObservedVm(string VmId, string Name, long AllocatedBytes, double MeanBytesPerSecond, double PeakBytesPerSecond, int Rounds, string? LastError);

public sealed record RatePoint(DateTimeOffset At, double BytesPerSecond);
