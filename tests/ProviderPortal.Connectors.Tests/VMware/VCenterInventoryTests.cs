using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>Inventory of a sized model (150 VMs over 2 datacenters, 14 hosts in standalone hosts and clusters).</summary>
public sealed class VCenterInventoryTests(LargeVcsimFixture fixture) : IClassFixture<LargeVcsimFixture>
{
    private const int Pools = LargeVcsimFixture.StandaloneHostsPerDatacenter + LargeVcsimFixture.ClustersPerDatacenter;
    private const int ExpectedVms = LargeVcsimFixture.DatacenterCount * Pools * LargeVcsimFixture.VmsPerPool;

    [Fact]
    public async Task GetInventoryAsync_SizedModel_ReturnsEveryVmWithDisksNicsAndPlacement()
    {
        await using var connector = fixture.Connect();
        var pagesBefore = await fixture.Peer.CallsAsync("ContinueRetrievePropertiesEx");

        var vms = await connector.GetInventoryAsync(CancellationToken.None);

        Assert.Equal(150, ExpectedVms);
        Assert.Equal(ExpectedVms, fixture.Peer.VmCount);
        Assert.Equal(ExpectedVms, vms.Count);
        Assert.Equal(ExpectedVms, vms.Select(vm => vm.Id).Distinct().Count());
        // 150 VMs in pages of 100: the continuation token was followed.
        Assert.True(await fixture.Peer.CallsAsync("ContinueRetrievePropertiesEx") > pagesBefore);
        Assert.All(vms, vm =>
        {
            Assert.StartsWith("vm-", vm.Id, StringComparison.Ordinal);
            Assert.Equal(VmPowerState.PoweredOn, vm.PowerState);
            Assert.True(vm.CpuCount >= 1);
            Assert.True(vm.MemoryBytes >= 32L * 1024 * 1024);
            var disk = Assert.Single(vm.Disks);
            Assert.Equal(64L * 1024 * 1024, disk.CapacityBytes);
            Assert.Equal($"[LocalDS_0] {vm.Name}/disk1.vmdk", disk.Path);
            Assert.Equal(ChangeTrackingState.Disabled, disk.ChangeTracking);
            Assert.False(string.IsNullOrWhiteSpace(disk.Label));
            var nic = Assert.Single(vm.Nics);
            Assert.Matches("^DC[01]_DVPG0$", nic.Network);
            Assert.Matches("^00:50:56(:[0-9a-f]{2}){3}$", nic.MacAddress);
            Assert.Empty(vm.Snapshots);
            Assert.NotNull(vm.Host);
        });
        Assert.Equal(ExpectedVms, vms.Select(vm => vm.Nics[0].MacAddress).Distinct().Count());

        // Standalone hosts' VMs have no cluster; clustered VMs name their cluster.
        var standalone = vms.Where(vm => vm.Cluster is null).ToList();
        Assert.Equal(LargeVcsimFixture.DatacenterCount * LargeVcsimFixture.VmsPerPool, standalone.Count);
        Assert.All(standalone, vm => Assert.Matches("^DC[01]_H0$", vm.Host));
        var clustered = vms.Where(vm => vm.Cluster is not null).GroupBy(vm => vm.Cluster!).ToList();
        Assert.Equal(["DC0_C0", "DC0_C1", "DC1_C0", "DC1_C1"], clustered.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.All(clustered, g =>
        {
            Assert.Equal(LargeVcsimFixture.VmsPerPool, g.Count());
            Assert.All(g, vm => Assert.StartsWith($"{g.Key}_H", vm.Host, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task TestConnectionAsync_SizedModel_CountsEveryVm()
    {
        await using var connector = fixture.Connect();

        var info = await connector.TestConnectionAsync(CancellationToken.None);

        Assert.Equal(ExpectedVms, info.VmCount);
    }
}
