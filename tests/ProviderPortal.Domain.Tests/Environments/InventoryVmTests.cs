using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Tests.Environments;

public class InventoryVmTests
{
    private static SourceVm Vm(params SourceDisk[] disks) => new()
    {
        Id = "vm-1",
        Name = "web-01",
        PowerState = VmPowerState.PoweredOn,
        CpuCount = 2,
        MemoryBytes = 4L << 30,
        Disks = disks,
    };

    private static SourceDisk Disk(string key, long capacity, long? allocated, ChangeTrackingState cbt) => new(key, "Hard disk", capacity, allocated, cbt, null);

    [Fact]
    public void Create_TwoDisks_SumsSizesAndAggregatesTracking()
    {
        var vm = InventoryVm.Create(Guid.NewGuid(), Vm(Disk("2000", 10, 4, ChangeTrackingState.Enabled), Disk("2001", 20, null, ChangeTrackingState.Disabled)), Given.Now);

        Assert.Equal(2, vm.DiskCount);
        Assert.Equal(30, vm.CapacityBytes);
        Assert.Equal(4, vm.AllocatedBytes);
        Assert.Equal(ChangeTrackingState.Disabled, vm.ChangeTracking);
    }

    [Fact]
    public void Create_AllDisksTracked_TrackingEnabled()
    {
        var vm = InventoryVm.Create(Guid.NewGuid(), Vm(Disk("2000", 10, null, ChangeTrackingState.Enabled), Disk("2001", 10, null, ChangeTrackingState.Enabled)), Given.Now);

        Assert.Equal(ChangeTrackingState.Enabled, vm.ChangeTracking);
        Assert.Null(vm.AllocatedBytes);
    }

    [Fact]
    public void Update_SameView_ReportsNoChange()
    {
        var source = Vm(Disk("2000", 10, 4, ChangeTrackingState.Enabled));
        var vm = InventoryVm.Create(Guid.NewGuid(), source, Given.Now);

        Assert.False(vm.Update(source with { Disks = [Disk("2000", 10, 4, ChangeTrackingState.Enabled)] }, Given.Now.AddHours(1)));
        Assert.Equal(Given.Now.AddHours(1), vm.SyncedAt);
    }

    [Fact]
    public void Update_DiskGrew_ReportsChangeAndNewTotals()
    {
        var vm = InventoryVm.Create(Guid.NewGuid(), Vm(Disk("2000", 10, 4, ChangeTrackingState.Enabled)), Given.Now);

        Assert.True(vm.Update(Vm(Disk("2000", 50, 4, ChangeTrackingState.Enabled)), Given.Now));
        Assert.Equal(50, vm.CapacityBytes);
    }

    [Fact]
    public void Update_OtherVm_Refused()
    {
        var vm = InventoryVm.Create(Guid.NewGuid(), Vm(), Given.Now);

        Assert.Throws<DomainException>(() => vm.Update(Vm() with { Id = "vm-2" }, Given.Now));
    }
}
