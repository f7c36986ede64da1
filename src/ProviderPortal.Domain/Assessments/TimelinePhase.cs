namespace ProviderPortal.Domain.Assessments;

/// <summary>The kinds of bar on the projected timeline, in the order they happen for one VM.</summary>
public enum TimelinePhase
{
    DeviceHandling = 0,
    DeviceShipping = 1,
    DeviceLoad = 2,
    DeviceIngest = 3,
    Baseline = 4,
    DeltaCycle = 5,
    Cutover = 6,
}
