using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments.Connectors;
using static ProviderPortal.Domain.Tests.Assessments.ForecastGiven;

namespace ProviderPortal.Domain.Tests.Assessments;

public class ReadinessWarningTests
{
    private static IReadOnlyList<ReadinessWarning> WarningsOf(VmObservation vm, ForecastSettings? settings = null, params SeedDeviceModel[] devices) =>
        Assert.Single(ForecastModel.Compute(Input(vm, settings, null, devices)).Vms).Warnings;

    [Fact]
    public void Compute_HealthyVm_NoWarnings()
    {
        Assert.Empty(WarningsOf(Vm("vm-a", 100 * GB, 1 * MBps)));
    }

    [Fact]
    public void Compute_ChangeTrackingDisabled_WillBeEnabledWarning()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { ChangeTracking = ChangeTrackingState.Disabled }));

        Assert.Equal(ReadinessIssue.ChangeTrackingOff, w.Issue);
        Assert.Equal(WarningSeverity.Warning, w.Severity);
        Assert.Contains("will be enabled", w.Message);
        Assert.Contains("invisible", w.Message);
    }

    [Fact]
    public void Compute_ChangeTrackingNotSupported_Blocker()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { ChangeTracking = ChangeTrackingState.NotSupported }));

        Assert.Equal((ReadinessIssue.ChangeTrackingNotSupported, WarningSeverity.Blocker), (w.Issue, w.Severity));
    }

    [Fact]
    public void Compute_ThreeSnapshots_ConsolidateOrAccept()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { SnapshotCount = 3 }));

        Assert.Equal(ReadinessIssue.ExistingSnapshots, w.Issue);
        Assert.StartsWith("3 existing snapshots: consolidate them, or accept", w.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_IndependentDisks_BlockerCannotBeSnapshotted()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { HasIndependentDisks = true }));

        Assert.Equal((ReadinessIssue.IndependentDisks, WarningSeverity.Blocker), (w.Issue, w.Severity));
        Assert.Contains("cannot be snapshotted or copied", w.Message);
    }

    [Fact]
    public void Compute_RawMappedDisks_BlockerCannotBeCopied()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { HasRawMappedDisks = true }));

        Assert.Equal((ReadinessIssue.RawMappedDisks, WarningSeverity.Blocker), (w.Issue, w.Severity));
        Assert.Contains("cannot be snapshotted or copied", w.Message);
    }

    [Theory]
    [InlineData(GuestToolsState.NotInstalled)]
    [InlineData(GuestToolsState.NotRunning)]
    [InlineData(GuestToolsState.Unknown)]
    public void Compute_NoGuestTools_PoweredOffWarning(GuestToolsState tools)
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { GuestTools = tools }));

        Assert.Equal((ReadinessIssue.NoGuestTools, WarningSeverity.Warning), (w.Issue, w.Severity));
        Assert.Contains("no clean shutdown: the VM will be powered off", w.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Compute_CpuVendorDiffers_WarmMigrationOnly()
    {
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB) with { CpuVendor = "Intel" }, Settings() with { DestinationCpuVendor = "AMD" }));

        Assert.Equal(ReadinessIssue.CpuVendorDiffers, w.Issue);
        Assert.Contains("warm migration only", w.Message);
        Assert.Contains("no live migration", w.Message);
    }

    [Theory]
    [InlineData("intel", "Intel")]
    [InlineData(null, "AMD")]
    [InlineData("Intel", null)]
    public void Compute_CpuVendorSameOrUnknown_NoWarning(string? source, string? destination)
    {
        Assert.Empty(WarningsOf(Vm("vm-a", GB) with { CpuVendor = source }, Settings() with { DestinationCpuVendor = destination }));
    }

    [Fact]
    public void Compute_DiskLargerThanLargestDeviceAndDeviceRecommended_Warning()
    {
        // 50 TB over 20 MB/s recommends a device (see ForecastModelTests); one 120 TB disk exceeds the 100 TB device.
        var vm = Vm("vm-a", 50 * TB, 1.25 * MBps, 2 * MBps) with { CapacityBytes = 200 * TB, LargestDiskBytes = 120 * TB };
        var settings = Settings() with { TenantCapBytesPerSecond = 20 * MBps, DeltaCycleInterval = TimeSpan.FromHours(1) };

        var w = Assert.Single(WarningsOf(vm, settings, Catalog()));

        Assert.Equal((ReadinessIssue.DiskLargerThanSeedDevice, WarningSeverity.Warning), (w.Issue, w.Severity));
        Assert.Contains("Its largest disk (109.1 TiB) is larger than the largest seed device (90.9 TiB)", w.Message);
    }

    [Fact]
    public void Compute_DiskLargerThanDeviceButNoCatalog_NoWarning()
    {
        Assert.Empty(WarningsOf(Vm("vm-a", 120 * TB)));
    }

    [Fact]
    public void Compute_PeakAboveShareButMeanBelow_InfoQuietHour()
    {
        // b = 100 MB/s; mean 10 MB/s converges, peak 150 MB/s outruns the share.
        var w = Assert.Single(WarningsOf(Vm("vm-a", GB, 10 * MBps, 150 * MBps)));

        Assert.Equal((ReadinessIssue.PeakOutrunsBandwidth, WarningSeverity.Info), (w.Issue, w.Severity));
    }

    [Fact]
    public void Compute_DowntimeOverTarget_Warning()
    {
        // Convergent case: downtime 980 s (16.3 min) against a 15 min target.
        var settings = Settings() with { DowntimeTarget = TimeSpan.FromMinutes(15) };

        var w = Assert.Single(WarningsOf(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps), settings));

        Assert.Equal((ReadinessIssue.DowntimeOverTarget, WarningSeverity.Warning), (w.Issue, w.Severity));
        Assert.Contains("16.3 min", w.Message);
    }

    [Fact]
    public void Compute_DowntimeWithinTarget_NoWarning()
    {
        Assert.Empty(WarningsOf(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps), Settings() with { DowntimeTarget = TimeSpan.FromMinutes(17) }));
    }
}
