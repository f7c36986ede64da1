namespace ProviderPortal.Domain.Assessments;

/// <summary>The data path from the source site to the provider as observation mode measured it.</summary>
/// <param name="MeasuredBytesPerSecond">Sustained throughput in bytes/s; null when not measured.</param>
/// <param name="LatencyMs">Round-trip time in milliseconds.</param>
/// <param name="LossRatio">Packet loss as a fraction, 0 ≤ loss &lt; 1 (0.001 = 0.1 %).</param>
/// <param name="SampleCount">Measurements the figures rest on.</param>
public sealed record LinkObservation(double? MeasuredBytesPerSecond, double LatencyMs, double LossRatio, int SampleCount)
{
    /// <summary>Nothing measured: the forecast falls back to the tenant's cap and lowers its confidence.</summary>
    public static readonly LinkObservation NotMeasured = new(null, 0, 0, 0);
}
