using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// What observation mode learned about one VM. Sizes are bytes; rates are bytes per second of
/// UNIQUE changed bytes (a block written twice within a sampling interval counts once), which is what
/// a delta cycle has to copy.
/// </summary>
public sealed record VmObservation
{
    public required string VmId { get; init; }

    public required string Name { get; init; }

    /// <summary>Bytes the baseline copies: the sum of the disks' allocated bytes, or their capacity when the platform does not tell.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Sum of the disks' capacities; a delta can never exceed it.</summary>
    public long CapacityBytes { get; init; }

    /// <summary>Capacity of the largest single disk (a disk cannot be split across seed devices).</summary>
    public long LargestDiskBytes { get; init; }

    /// <summary>Mean unique change rate over the observation, bytes/s.</summary>
    public double MeanChangeBytesPerSecond { get; init; }

    /// <summary>Peak unique change rate (e.g. the 95th percentile of the samples), bytes/s; at least the mean.</summary>
    public double PeakChangeBytesPerSecond { get; init; }

    public ChangeTrackingState ChangeTracking { get; init; }

    public GuestToolsState GuestTools { get; init; }

    public int SnapshotCount { get; init; }

    /// <summary>An independent disk is left out of snapshots, so it cannot be copied while the VM runs.</summary>
    public bool HasIndependentDisks { get; init; }

    /// <summary>A raw device mapping (RDM) is a LUN, not a virtual disk: it cannot be snapshotted or copied as one.</summary>
    public bool HasRawMappedDisks { get; init; }

    /// <summary>"Intel", "AMD" or null when unknown.</summary>
    public string? CpuVendor { get; init; }

    public SampleCoverage Coverage { get; init; } = SampleCoverage.None;

    /// <summary>
    /// How long taking a snapshot of it took during observation (mean). Every copy starts with one (baseline, each
    /// delta cycle, the final delta at cutover with the VM off), so it is part of each; zero when unknown.
    /// </summary>
    public TimeSpan SnapshotDuration { get; init; }

    /// <summary>
    /// The observation of an inventory VM: sizes, tracking, tools, snapshots and CPU vendor from the
    /// platform; the change rates and coverage from observation mode; the disk-mode flags from the
    /// connector, which SourceDisk does not carry.
    /// </summary>
    public static VmObservation FromSourceVm(
        SourceVm vm,
        double meanChangeBytesPerSecond,
        double peakChangeBytesPerSecond,
        SampleCoverage coverage,
        bool hasIndependentDisks = false,
        bool hasRawMappedDisks = false)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return new VmObservation
        {
            VmId = vm.Id,
            Name = vm.Name,
            AllocatedBytes = vm.Disks.Sum(d => d.AllocatedBytes ?? d.CapacityBytes),
            CapacityBytes = vm.Disks.Sum(d => d.CapacityBytes),
            LargestDiskBytes = vm.Disks.Count == 0 ? 0 : vm.Disks.Max(d => d.CapacityBytes),
            MeanChangeBytesPerSecond = meanChangeBytesPerSecond,
            PeakChangeBytesPerSecond = peakChangeBytesPerSecond,
            ChangeTracking = CombinedTracking(vm.Disks),
            GuestTools = vm.ToolsState,
            SnapshotCount = vm.Snapshots.Count,
            HasIndependentDisks = hasIndependentDisks,
            HasRawMappedDisks = hasRawMappedDisks,
            CpuVendor = vm.CpuVendor,
            Coverage = coverage,
        };
    }

    // The VM is only as trackable as its worst disk: one disk without tracking forces full reads of it.
    private static ChangeTrackingState CombinedTracking(IReadOnlyList<SourceDisk> disks)
    {
        if (disks.Count == 0)
        {
            return ChangeTrackingState.Unknown;
        }

        if (disks.Any(d => d.ChangeTracking == ChangeTrackingState.NotSupported))
        {
            return ChangeTrackingState.NotSupported;
        }

        if (disks.Any(d => d.ChangeTracking == ChangeTrackingState.Disabled))
        {
            return ChangeTrackingState.Disabled;
        }

        return disks.All(d => d.ChangeTracking == ChangeTrackingState.Enabled) ? ChangeTrackingState.Enabled : ChangeTrackingState.Unknown;
    }
}
