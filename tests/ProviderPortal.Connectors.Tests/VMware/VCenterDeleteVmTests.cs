using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>Deleting a source VM (the plan's "remove source" option) against a vcsim of its own, since VMs go away.</summary>
public sealed class VCenterDeleteVmTests(VcsimFixture fixture) : IClassFixture<VcsimFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DeleteVmAsync_PoweredOffVm_IsGoneFromTheInventory_AndTheOthersStay()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM1");
        await using var connector = fixture.Connect();
        var before = (await connector.GetInventoryAsync(None)).Count;
        await connector.PowerOffAsync(vm.Id, None);

        await connector.DeleteVmAsync(vm.Id, None);

        var after = await connector.GetInventoryAsync(None);
        Assert.DoesNotContain(after, v => v.Id == vm.Id);
        Assert.Equal(before - 1, after.Count);
        var again = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync(vm.Id, None));
        Assert.Equal(ConnectorErrorKind.NotFound, again.Kind);
    }

    [Fact]
    public async Task DeleteVmAsync_PoweredOnVm_IsRefusedAndStays()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM0");
        Assert.Equal(VmPowerState.PoweredOn, vm.PowerState);
        await using var connector = fixture.Connect();

        var refused = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync(vm.Id, None));

        Assert.Equal(ConnectorErrorKind.Conflict, refused.Kind);
        Assert.Contains("power it off", refused.Message, StringComparison.Ordinal);
        Assert.Contains(await connector.GetInventoryAsync(None), v => v.Id == vm.Id);
    }
}
