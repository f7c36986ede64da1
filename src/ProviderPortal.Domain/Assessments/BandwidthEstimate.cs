namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// The bandwidth the forecast plans with, bytes/s, and how it was reached:
/// Group = min(measured × efficiency, cap, throttle, loss/latency bound × efficiency): the engine enforces the cap and the
/// throttle on disk bytes exactly, while a measured link and the TCP bound lose the efficiency share on the wire;
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
