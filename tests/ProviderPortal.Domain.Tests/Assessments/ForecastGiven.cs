using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Tests.Assessments;

/// <summary>
/// The shared setup of the forecast tests. Figures are decimal and chosen so the hand computations in
/// the tests are exact: efficiency 1, one copy at a time, a 100 s delta-cycle interval.
/// </summary>
internal static class ForecastGiven
{
    public const double MBps = 1e6;
    public const long GB = 1_000_000_000;
    public const long TB = 1_000 * GB;

    public static readonly SampleCoverage TwoFullDays = new(96, 96, TimeSpan.FromHours(48));

    /// <summary>A healthy VM: tracking on, tools running, no snapshots; capacity twice the allocated bytes.</summary>
    public static VmObservation Vm(string id, long allocated, double mean = 0, double? peak = null) => new()
    {
        VmId = id,
        Name = id,
        AllocatedBytes = allocated,
        CapacityBytes = 2 * allocated,
        LargestDiskBytes = allocated,
        MeanChangeBytesPerSecond = mean,
        PeakChangeBytesPerSecond = peak ?? mean,
        ChangeTracking = ChangeTrackingState.Enabled,
        GuestTools = GuestToolsState.Running,
        Coverage = TwoFullDays,
    };

    /// <summary>Cap 100 MB/s, one copy at a time, efficiency 1, 5 min shutdown, 10 min boot, 100 s cycles, 30 min margin, 15 min rounding.</summary>
    public static ForecastSettings Settings() => new()
    {
        TenantCapBytesPerSecond = 100 * MBps,
        ParallelCopies = 1,
        Efficiency = 1.0,
        ShutdownAllowance = TimeSpan.FromMinutes(5),
        BootAllowance = TimeSpan.FromMinutes(10),
        DeltaCycleInterval = TimeSpan.FromSeconds(100),
        MaxDeltaCycles = 20,
        WindowMargin = TimeSpan.FromMinutes(30),
        WindowRounding = TimeSpan.FromMinutes(15),
    };

    /// <summary>A measured link without loss: only the figure given limits it.</summary>
    public static LinkObservation Link(double bytesPerSecond) => new(bytesPerSecond, 0, 0, 100);

    public static ForecastInput Input(VmObservation vm, ForecastSettings? settings = null, LinkObservation? link = null, params SeedDeviceModel[] devices) =>
        new([vm], link ?? Link(200 * MBps), settings ?? Settings(), devices);

    public static ForecastInput Input(IReadOnlyList<VmObservation> vms, ForecastSettings? settings = null, LinkObservation? link = null, params SeedDeviceModel[] devices) =>
        new(vms, link ?? Link(200 * MBps), settings ?? Settings(), devices);

    /// <summary>10 TB and 100 TB devices: 1 handling day, 2 shipping days each way, load 1 GB/s, ingest 2 GB/s.</summary>
    public static SeedDeviceModel[] Catalog() =>
    [
        new("Large", 100 * TB, 2, 1000 * MBps, 2000 * MBps, 1),
        new("Small", 10 * TB, 2, 1000 * MBps, 2000 * MBps, 1),
    ];
}
