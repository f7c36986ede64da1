using System.Globalization;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Assessments;

/// <summary>What would otherwise fail or surprise at cutover, found at assessment time.</summary>
internal static class ReadinessRules
{
    public static List<ReadinessWarning> For(
        VmObservation vm,
        CycleRun run,
        double perVmBytesPerSecond,
        TimeSpan downtime,
        ForecastSettings settings,
        IReadOnlyList<SeedDeviceModel> catalog,
        bool seedRecommended)
    {
        var list = new List<ReadinessWarning>();
        void Add(ReadinessIssue issue, WarningSeverity severity, string message) => list.Add(new(vm.VmId, issue, severity, message));

        switch (vm.ChangeTracking)
        {
            case ChangeTrackingState.NotSupported:
                Add(ReadinessIssue.ChangeTrackingNotSupported, WarningSeverity.Blocker,
                    "Changed-block tracking is not supported on a disk: delta cycles cannot find the changes, so every cycle would re-read the whole disk.");
                break;
            case ChangeTrackingState.Disabled or ChangeTrackingState.Unknown:
                Add(ReadinessIssue.ChangeTrackingOff, WarningSeverity.Warning,
                    "Changed-block tracking is off: it will be enabled before the baseline; changes made before that are invisible, so the change rate here is an estimate.");
                break;
        }

        if (vm.SnapshotCount > 0)
        {
            Add(ReadinessIssue.ExistingSnapshots, WarningSeverity.Warning, string.Create(CultureInfo.InvariantCulture,
                $"{vm.SnapshotCount} existing snapshot{(vm.SnapshotCount == 1 ? "" : "s")}: consolidate them, or accept that only the current state is copied and the snapshots stay behind."));
        }

        if (vm.HasIndependentDisks)
        {
            Add(ReadinessIssue.IndependentDisks, WarningSeverity.Blocker,
                "Independent disks are left out of snapshots: they cannot be snapshotted or copied while the VM runs; make them dependent first.");
        }

        if (vm.HasRawMappedDisks)
        {
            Add(ReadinessIssue.RawMappedDisks, WarningSeverity.Blocker,
                "Raw-mapped (RDM) disks are LUNs, not virtual disks: they cannot be snapshotted or copied; convert them to virtual disks first.");
        }

        switch (vm.GuestTools)
        {
            case GuestToolsState.NotInstalled or GuestToolsState.NotRunning or GuestToolsState.Unknown:
                Add(ReadinessIssue.NoGuestTools, WarningSeverity.Warning,
                    "Guest tools are not running, so there is no clean shutdown: the VM will be powered off at cutover.");
                break;
            case GuestToolsState.Outdated:
                Add(ReadinessIssue.OutdatedGuestTools, WarningSeverity.Info,
                    "Guest tools are outdated: a clean shutdown should still work; update them before cutover.");
                break;
        }

        // Only where a device is on the table: the catalog offers one.
        if (catalog.Count > 0)
        {
            var largest = catalog.Max(d => d.CapacityBytes);
            if (vm.LargestDiskBytes > largest)
            {
                Add(ReadinessIssue.DiskLargerThanSeedDevice, seedRecommended ? WarningSeverity.Warning : WarningSeverity.Info,
                    $"Its largest disk ({DataUnits.Bytes(vm.LargestDiskBytes)}) is larger than the largest seed device ({DataUnits.Bytes(largest)}): it cannot travel on one device; copy this VM over the network.");
            }
        }

        if (vm.CpuVendor is { } source && settings.DestinationCpuVendor is { } destination
            && !string.Equals(source.Trim(), destination.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            Add(ReadinessIssue.CpuVendorDiffers, WarningSeverity.Warning,
                $"Its CPU vendor ({source}) differs from the destination's ({destination}): warm migration only (shut down, copy, boot), no live migration.");
        }

        if (!run.Converged)
        {
            Add(ReadinessIssue.NotConvergent, WarningSeverity.Warning, run.Reason ?? "Delta cycles do not converge.");
        }
        else if (vm.PeakChangeBytesPerSecond >= perVmBytesPerSecond)
        {
            Add(ReadinessIssue.PeakOutrunsBandwidth, WarningSeverity.Info,
                $"At its peak it changes {DataUnits.Rate(vm.PeakChangeBytesPerSecond)}, more than its bandwidth share ({DataUnits.Rate(perVmBytesPerSecond)}): deltas grow at busy times; cut over at a quiet hour.");
        }

        if (settings.DowntimeTarget is { } target && downtime > target)
        {
            Add(ReadinessIssue.DowntimeOverTarget, WarningSeverity.Warning,
                $"Its cutover keeps it down about {Units.Duration(downtime)}, more than the {Units.Duration(target)} target: give it more bandwidth, cut over at a quiet hour or accept the longer window.");
        }

        return list;
    }
}
