namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// The seed-device route, all times as offsets from the day the order is placed:
/// handling → ship out → load at the customer → ship back → ingest at the provider → the changes since
/// the seed snapshot (taken when loading starts) go over the network.
/// </summary>
/// <param name="DeviceCount">Devices needed: ⌈allocated / capacity⌉ (loaded and ingested one after another).</param>
/// <param name="CatchUpBytes">Unique bytes changed between the seed snapshot and the end of ingest, Σ min(mean rate × (ingest end − load start), capacity).</param>
/// <param name="ReadyForCutover">When every VM has caught up over the network after ingest.</param>
public sealed record SeedDevicePlan(
    SeedDeviceModel Device,
    int DeviceCount,
    TimeSpan HandlingEnd,
    TimeSpan LoadStart,
    TimeSpan LoadEnd,
    TimeSpan IngestStart,
    TimeSpan IngestEnd,
    long CatchUpBytes,
    TimeSpan ReadyForCutover);
