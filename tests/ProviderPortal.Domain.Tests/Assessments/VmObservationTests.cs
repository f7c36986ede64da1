using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Tests.Assessments;

public class VmObservationTests
{
    [Fact]
    public void FromSourceVm_TwoDisks_SumsSizesAndTakesTheWorstTracking()
    {
        var vm = new SourceVm
        {
            Id = "vm-1",
            Name = "db-01",
            CpuVendor = "AMD",
            ToolsState = GuestToolsState.Running,
            Disks =
            [
                new SourceDisk("2000", "Hard disk 1", 100, 40, ChangeTrackingState.Enabled, null),
                new SourceDisk("2001", "Hard disk 2", 300, null, ChangeTrackingState.Disabled, null),
            ],
            Snapshots = [new SourceSnapshot("snap-1", "before patch", null, [])],
        };

        var observation = VmObservation.FromSourceVm(vm, 5, 9, new SampleCoverage(10, 12, TimeSpan.FromHours(3)));

        Assert.Equal(340, observation.AllocatedBytes); // 40 allocated + 300 capacity where allocated is unknown
        Assert.Equal(400, observation.CapacityBytes);
        Assert.Equal(300, observation.LargestDiskBytes);
        Assert.Equal(ChangeTrackingState.Disabled, observation.ChangeTracking);
        Assert.Equal(1, observation.SnapshotCount);
        Assert.Equal("AMD", observation.CpuVendor);
        Assert.Equal((5d, 9d), (observation.MeanChangeBytesPerSecond, observation.PeakChangeBytesPerSecond));
    }
}
