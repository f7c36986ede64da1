namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// The bandwidth the forecast plans with, bytes/s, and how it was reached:
/// Group = min(measured ?? cap, cap, throttle, loss/latency bound) × efficiency;
/// PerVm = Group / ConcurrentCopies, ConcurrentCopies = min(parallel copies, VM count).
/// </summary>
/// <param name="LossLatencyBoundBytesPerSecond">
/// The Mathis et al. TCP bound for all streams together: streams × MSS × 1.22 / (RTT × √loss),
/// MSS = 1460 bytes, RTT in seconds; null when loss or latency is zero (no bound).
/// </param>
public sealed record BandwidthEstimate(
    double? MeasuredBytesPerSecond,
    double TenantCapBytesPerSecond,
    double? ThrottleBytesPerSecond,
    double? LossLatencyBoundBytesPerSecond,
    double Efficiency,
    BandwidthLimit LimitedBy,
    double GroupBytesPerSecond,
    int ConcurrentCopies,
    double PerVmBytesPerSecond);
