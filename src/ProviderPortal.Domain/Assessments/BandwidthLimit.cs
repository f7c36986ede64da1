namespace ProviderPortal.Domain.Assessments;

/// <summary>Which figure set the effective bandwidth: the smallest one wins.</summary>
public enum BandwidthLimit
{
    MeasuredLink = 0,
    TenantCap = 1,
    Throttle = 2,
    LossAndLatency = 3,
}
