namespace ProviderPortal.Domain.Assessments;

/// <summary>Everything a forecast is computed from: the VMs of one migration group, the link, the settings and the device catalog (empty: no devices offered).</summary>
public sealed record ForecastInput(
    IReadOnlyList<VmObservation> Vms,
    LinkObservation Link,
    ForecastSettings Settings,
    IReadOnlyList<SeedDeviceModel> SeedDevices);
