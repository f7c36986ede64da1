using ProviderPortal.Connectors.VMware;
using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>The connector against the vcsim peer: login, snapshots, power, change tracking, pinning and sessions.</summary>
public sealed class VCenterConnectorTests(VcsimFixture fixture) : IClassFixture<VcsimFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TestConnectionAsync_PinnedPeer_ReturnsProductVersionAndVmCount()
    {
        var loginsBefore = await fixture.Peer.CallsAsync("Login");
        await using var connector = fixture.Connect();

        var info = await connector.TestConnectionAsync(None);

        Assert.Equal("VMware vCenter Server 6.5.0 build-5973321", info.Product);
        Assert.Equal("6.5.0", info.Version);
        Assert.Equal(fixture.Peer.VmCount, info.VmCount);
        Assert.Equal(loginsBefore + 1, await fixture.Peer.CallsAsync("Login"));
    }

    [Fact]
    public async Task DisposeAsync_AfterLogin_LogsOut()
    {
        var logoutsBefore = await fixture.Peer.CallsAsync("Logout");
        var connector = fixture.Connect();
        await connector.TestConnectionAsync(None);

        await connector.DisposeAsync();

        Assert.Equal(logoutsBefore + 1, await fixture.Peer.CallsAsync("Logout"));
    }

    [Fact]
    public async Task CreateSnapshotAsync_ChangeTrackingOn_DisksCarryChangeIdsAndRemoveDropsIt()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM1");
        await using var connector = fixture.Connect();
        await connector.EnableChangeTrackingAsync(vm.Id, None);

        var snapshot = await connector.CreateSnapshotAsync(vm.Id, "replication-1", None);

        Assert.Equal("replication-1", snapshot.Name);
        Assert.NotNull(snapshot.CreatedAt);
        var disk = Assert.Single(snapshot.Disks);
        Assert.Equal(Assert.Single(vm.Disks).Key, disk.DiskKey);
        Assert.False(string.IsNullOrWhiteSpace(disk.ChangeId));
        var listed = Assert.Single((await fixture.FindVmAsync("DC0_H0_VM1")).Snapshots);
        Assert.Equal(snapshot.Id, listed.Id);
        Assert.Equal(disk.ChangeId, Assert.Single(listed.Disks).ChangeId);

        await connector.RemoveSnapshotAsync(vm.Id, snapshot.Id, None);

        Assert.Empty((await fixture.FindVmAsync("DC0_H0_VM1")).Snapshots);
    }

    [Fact]
    public async Task CreateSnapshotAsync_ChangeTrackingOff_DisksHaveNoChangeId()
    {
        var vm = await fixture.FindVmAsync("DC0_C0_RP0_VM1");
        await using var connector = fixture.Connect();

        var snapshot = await connector.CreateSnapshotAsync(vm.Id, "no-cbt", None);

        Assert.Null(Assert.Single(snapshot.Disks).ChangeId);
        await connector.RemoveSnapshotAsync(vm.Id, snapshot.Id, None);
    }

    [Fact]
    public async Task RemoveSnapshotAsync_UnknownSnapshot_ThrowsNotFound()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM0");
        await using var connector = fixture.Connect();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.RemoveSnapshotAsync(vm.Id, "snapshot-404", None));

        Assert.Equal(ConnectorErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task PowerOffAsync_PoweredOnVm_InventoryShowsOffThenPowerOnShowsOn()
    {
        var vm = await fixture.FindVmAsync("DC0_C0_RP0_VM0");
        Assert.Equal(VmPowerState.PoweredOn, vm.PowerState);
        await using var connector = fixture.Connect();

        await connector.PowerOffAsync(vm.Id, None);
        Assert.Equal(VmPowerState.PoweredOff, (await fixture.FindVmAsync(vm.Name)).PowerState);
        var twice = await Assert.ThrowsAsync<ConnectorException>(() => connector.PowerOffAsync(vm.Id, None));
        await connector.PowerOnAsync(vm.Id, None);

        Assert.Equal(ConnectorErrorKind.Conflict, twice.Kind);
        Assert.Contains("InvalidPowerState", twice.Message, StringComparison.Ordinal);
        Assert.Equal(VmPowerState.PoweredOn, (await fixture.FindVmAsync(vm.Name)).PowerState);
    }

    [Fact]
    public async Task ShutdownGuestAsync_PoweredOnVm_ReturnsOnceOffAndAgainIsConflict()
    {
        var vm = await fixture.FindVmAsync("DC0_C0_RP0_VM1");
        await using var connector = fixture.Connect();

        await connector.ShutdownGuestAsync(vm.Id, TimeSpan.FromSeconds(10), None);
        var again = await Assert.ThrowsAsync<ConnectorException>(() => connector.ShutdownGuestAsync(vm.Id, TimeSpan.FromSeconds(10), None));
        var state = (await fixture.FindVmAsync(vm.Name)).PowerState;
        await connector.PowerOnAsync(vm.Id, None);

        Assert.Equal(VmPowerState.PoweredOff, state);
        Assert.Equal(ConnectorErrorKind.Conflict, again.Kind);
    }

    [Fact]
    public async Task ShutdownGuestAsync_GuestIgnoresIt_ThrowsTimeoutAfterTheWait()
    {
        var vm = await fixture.FindVmAsync(VcsimFixture.StubbornVm);
        await using var connector = fixture.Connect();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.ShutdownGuestAsync(vm.Id, TimeSpan.FromSeconds(1), None));

        Assert.Equal(ConnectorErrorKind.Timeout, error.Kind);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Contains("poweredOn", error.Message, StringComparison.Ordinal);
        Assert.Equal(VmPowerState.PoweredOn, (await fixture.FindVmAsync(vm.Name)).PowerState);
    }

    [Fact]
    public async Task PowerOnAsync_UnknownVm_ThrowsNotFound()
    {
        await using var connector = fixture.Connect();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.PowerOnAsync("vm-99999", None));

        Assert.Equal(ConnectorErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task EnableChangeTrackingAsync_TrackingOff_NextInventoryShowsItOn()
    {
        var vm = await fixture.FindVmAsync("DC0_H0_VM0");
        Assert.Equal(ChangeTrackingState.Disabled, Assert.Single(vm.Disks).ChangeTracking);
        await using var connector = fixture.Connect();

        await connector.EnableChangeTrackingAsync(vm.Id, None);

        Assert.Equal(ChangeTrackingState.Enabled, Assert.Single((await fixture.FindVmAsync(vm.Name)).Disks).ChangeTracking);
    }

    [Fact]
    public async Task TestConnectionAsync_WrongPin_RefusedAsMismatchWithNothingSent()
    {
        var before = (await fixture.Peer.StatsAsync()).Requests;
        var wrongPin = string.Join(':', Enumerable.Repeat("AB", 32));
        await using var connector = fixture.Connect(fixture.Peer.Settings(thumbprint: wrongPin));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(None));

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, error.Kind);
        Assert.Equal(fixture.Peer.Thumbprint, error.ServerThumbprint);
        Assert.Equal(before, (await fixture.Peer.StatsAsync()).Requests);
    }

    [Fact]
    public async Task TestConnectionAsync_CertificateNotTrustedYet_ThrowsCertificateMismatchWithNothingSent()
    {
        var before = (await fixture.Peer.StatsAsync()).Requests;
        await using var connector = fixture.Connect(fixture.Peer.Settings() with { TrustedThumbprint = null });

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(None));

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, error.Kind);
        Assert.Equal(before, (await fixture.Peer.StatsAsync()).Requests);
    }

    [Fact]
    public async Task TestConnectionAsync_WrongPassword_ThrowsBadCredentialsWithoutThePassword()
    {
        const string password = "not-the-Password-42";
        await using var connector = fixture.Connect(fixture.Peer.Settings(password: password));

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(None));

        Assert.Equal(ConnectorErrorKind.BadCredentials, error.Kind);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Peer.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInventoryAsync_SessionExpired_SucceedsAfterOneRelogin()
    {
        await using var peer = await VcsimPeer.StartAsync("-vm", "1", "-session-timeout", "1s");
        await using var connector = new VCenterConnector(peer.Settings());
        await connector.TestConnectionAsync(None);
        Assert.Equal(1, await peer.CallsAsync("Login"));

        // The peer drops sessions idle for more than 1 s, checking every second.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var inventory = await connector.GetInventoryAsync(None);

        Assert.Equal(peer.VmCount, inventory.Count);
        Assert.Equal(2, await peer.CallsAsync("Login"));
    }
}
