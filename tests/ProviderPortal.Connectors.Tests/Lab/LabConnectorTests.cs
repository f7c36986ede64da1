using System.Diagnostics;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Tests.Lab;

public sealed class LabConnectorTests : IDisposable
{
    private readonly LabTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Constructor_NoLabRoot_ThrowsInvalidRequestNamingLabRoot()
    {
        var settings = _folder.Settings with { LabRoot = null };

        var error = Assert.Throws<ConnectorException>(() => new LabConnector(settings));

        Assert.Equal(ConnectorErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("LabRoot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OtherKind_ThrowsInvalidRequest()
    {
        var settings = _folder.Settings with { Kind = EnvironmentKind.VCenter };

        Assert.Equal(ConnectorErrorKind.InvalidRequest, Assert.Throws<ConnectorException>(() => new LabConnector(settings)).Kind);
    }

    [Fact]
    public async Task Constructor_Valid_TouchesNothingUntilTheFirstCall()
    {
        await using var connector = new LabConnector(_folder.Settings);

        Assert.False(Directory.Exists(_folder.Root));
        Assert.Equal(EnvironmentKind.Lab, connector.Kind);
    }

    [Fact]
    public async Task TestConnectionAsync_EmptyFolder_CreatesTheLabAndReportsItsVms()
    {
        await using var connector = new LabConnector(_folder.Settings);

        var info = await connector.TestConnectionAsync(CancellationToken.None);

        Assert.Equal("ProviderPortal lab", info.Product);
        Assert.False(string.IsNullOrWhiteSpace(info.Version));
        Assert.Equal(4, info.VmCount);
    }

    [Fact]
    public async Task TestConnectionAsync_FolderHoldsSomethingElse_ThrowsInvalidRequestThenWorksOnceEmptied()
    {
        Directory.CreateDirectory(_folder.Root);
        var stranger = Path.Combine(_folder.Root, "notes.txt");
        await File.WriteAllTextAsync(stranger, "mine");
        await using var connector = new LabConnector(_folder.Settings);

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));
        File.Delete(stranger);
        await LabEnvironment.OpenOrCreateAsync(_folder.Root, LabTestFolder.SmallLab);

        Assert.Equal(ConnectorErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(4, (await connector.TestConnectionAsync(CancellationToken.None)).VmCount);
    }

    [Fact]
    public async Task GetInventoryAsync_DefaultLab_ReportsEveryField()
    {
        await using var connector = await _folder.ConnectAsync();
        var snapshot = await connector.CreateSnapshotAsync("lab-db-01", "before", CancellationToken.None);

        var vms = await connector.GetInventoryAsync(CancellationToken.None);

        var db = Assert.Single(vms, v => v.Id == "lab-db-01");
        Assert.Equal("lab-db-01", db.Name);
        Assert.Equal(VmPowerState.PoweredOn, db.PowerState);
        Assert.Equal(4, db.CpuCount);
        Assert.True(db.MemoryBytes > 0);
        Assert.False(string.IsNullOrEmpty(db.GuestOs));
        Assert.Equal(GuestToolsState.Running, db.ToolsState);
        Assert.Equal("lab-host-1", db.Host);
        Assert.Equal("Lab", db.Cluster);
        var nic = Assert.Single(db.Nics);
        Assert.Equal("lab-net", nic.Network);
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", nic.MacAddress!);
        Assert.Equal(2, db.Disks.Count);
        Assert.All(db.Disks, d =>
        {
            Assert.Equal(ChangeTrackingState.Enabled, d.ChangeTracking);
            Assert.InRange(d.AllocatedBytes!.Value, 4L * LabTestFolder.MiB, 6L * LabTestFolder.MiB);
            Assert.StartsWith("[lab] ", d.Path, StringComparison.Ordinal);
            Assert.DoesNotContain(_folder.Root, d.Path, StringComparison.Ordinal);
        });
        var listed = Assert.Single(db.Snapshots);
        Assert.Equal(snapshot.Id, listed.Id);
        Assert.Equal("before", listed.Name);
        Assert.NotNull(listed.CreatedAt);
        Assert.Equal(["disk-0", "disk-1"], listed.Disks.Select(d => d.DiskKey));

        var legacy = Assert.Single(vms, v => v.Id == "lab-legacy-01");
        Assert.Equal(VmPowerState.PoweredOff, legacy.PowerState);
        Assert.Equal(GuestToolsState.NotInstalled, legacy.ToolsState);
        Assert.All(legacy.Disks, d => Assert.Equal(ChangeTrackingState.Disabled, d.ChangeTracking));
        Assert.Equal(4, vms.Select(v => v.Nics[0].MacAddress).Distinct().Count());
    }

    [Fact]
    public async Task GetInventoryAsync_AfterAWrite_AllocatedBytesGrow()
    {
        await using var connector = await _folder.ConnectAsync();
        var lab = await _folder.OpenAsync();
        var before = (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == "lab-web-01").Disks[0].AllocatedBytes;

        await lab.WriteAsync("lab-web-01", "disk-0", 800L * LabTestFolder.MiB, LabTestFolder.RandomBlock(1, LabTestFolder.MiB), CancellationToken.None);

        var after = (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == "lab-web-01").Disks[0].AllocatedBytes;
        Assert.Equal(before + LabTestFolder.MiB, after);
    }

    [Fact]
    public async Task EnableChangeTrackingAsync_VmWithoutCbt_NextSnapshotCarriesChangeIds()
    {
        await using var connector = await _folder.ConnectAsync();
        var off = await connector.CreateSnapshotAsync("lab-legacy-01", "off", CancellationToken.None);

        await connector.EnableChangeTrackingAsync("lab-legacy-01", CancellationToken.None);
        var on = await connector.CreateSnapshotAsync("lab-legacy-01", "on", CancellationToken.None);

        Assert.All(off.Disks, d => Assert.Null(d.ChangeId));
        Assert.All(on.Disks, d => Assert.NotNull(d.ChangeId));
        var vm = (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == "lab-legacy-01");
        Assert.All(vm.Disks, d => Assert.Equal(ChangeTrackingState.Enabled, d.ChangeTracking));
    }

    [Fact]
    public async Task PowerOffAsync_ThenPowerOnAsync_ChangesThePowerState()
    {
        await using var connector = await _folder.ConnectAsync();

        await connector.PowerOffAsync("lab-web-01", CancellationToken.None);
        var off = await PowerStateAsync(connector, "lab-web-01");
        await connector.PowerOnAsync("lab-web-01", CancellationToken.None);

        Assert.Equal(VmPowerState.PoweredOff, off);
        Assert.Equal(VmPowerState.PoweredOn, await PowerStateAsync(connector, "lab-web-01"));
    }

    [Fact]
    public async Task DeleteVmAsync_PoweredOffVm_RemovesItsStateDisksAndSnapshots_AndLeavesTheOthers()
    {
        await using var connector = await _folder.ConnectAsync();
        var lab = await LabEnvironment.OpenOrCreateAsync(_folder.Root);
        var disks = new[] { await lab.GetDiskPathAsync("lab-legacy-01", "disk-0", CancellationToken.None), await lab.GetDiskPathAsync("lab-legacy-01", "disk-1", CancellationToken.None) };
        var snapshot = await connector.CreateSnapshotAsync("lab-legacy-01", "before delete", CancellationToken.None);

        await connector.DeleteVmAsync("lab-legacy-01", CancellationToken.None);

        var left = await connector.GetInventoryAsync(CancellationToken.None);
        Assert.DoesNotContain(left, v => v.Id == "lab-legacy-01");
        Assert.Equal(3, left.Count);
        Assert.All(disks, d => Assert.False(File.Exists(d), $"{d} was left behind"));
        Assert.False(Directory.Exists(Path.Combine(_folder.Root, "snapshots", "lab-legacy-01")), $"the snapshot {snapshot.Id} was left behind");
        Assert.True(File.Exists(await lab.GetDiskPathAsync("lab-web-01", "disk-0", CancellationToken.None)));
        var missing = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync("lab-legacy-01", CancellationToken.None));
        Assert.Equal(ConnectorErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task DeleteVmAsync_RunningVm_IsRefusedAndStays()
    {
        await using var connector = await _folder.ConnectAsync();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync("lab-web-01", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, error.Kind);
        Assert.Contains(await connector.GetInventoryAsync(CancellationToken.None), v => v.Id == "lab-web-01");
    }

    [Fact]
    public async Task PowerOnAsync_AlreadyOn_ThrowsConflict()
    {
        await using var connector = await _folder.ConnectAsync();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.PowerOnAsync("lab-web-01", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task PowerOffAsync_AlreadyOff_ThrowsConflict()
    {
        await using var connector = await _folder.ConnectAsync();

        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.PowerOffAsync("lab-legacy-01", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task ShutdownGuestAsync_ToolsRunning_WaitsUntilOff()
    {
        await using var connector = await _folder.ConnectAsync();
        var clock = Stopwatch.StartNew();

        await connector.ShutdownGuestAsync("lab-web-01", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(VmPowerState.PoweredOff, await PowerStateAsync(connector, "lab-web-01"));
        // The default guest takes 300 ms to shut down: the call returned when it was off, not before.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"returned after {clock.Elapsed}");
    }

    [Fact]
    public async Task ShutdownGuestAsync_TimeoutShorterThanTheGuest_ThrowsTimeoutAndTheGuestStillGoesOff()
    {
        await using var connector = await _folder.ConnectAsync();
        var lab = await _folder.OpenAsync();
        await lab.SetGuestShutdownDelayAsync("lab-web-01", TimeSpan.FromSeconds(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ShutdownGuestAsync("lab-web-01", TimeSpan.FromMilliseconds(20), CancellationToken.None));
        await connector.ShutdownGuestAsync("lab-web-01", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(ConnectorErrorKind.Timeout, error.Kind);
        Assert.Equal(VmPowerState.PoweredOff, await PowerStateAsync(connector, "lab-web-01"));
    }

    [Fact]
    public async Task ShutdownGuestAsync_NoTools_ThrowsConflictSayingWhy()
    {
        await using var connector = await _folder.ConnectAsync();
        var lab = await _folder.OpenAsync();
        await lab.SetGuestToolsStateAsync("lab-app-01", GuestToolsState.NotRunning, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ShutdownGuestAsync("lab-app-01", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, error.Kind);
        Assert.Contains("guest tools are not running", error.Message, StringComparison.Ordinal);
        Assert.Equal(VmPowerState.PoweredOn, await PowerStateAsync(connector, "lab-app-01"));
    }

    [Fact]
    public async Task ShutdownGuestAsync_AlreadyOff_ThrowsConflict()
    {
        await using var connector = await _folder.ConnectAsync();
        await connector.PowerOffAsync("lab-web-01", CancellationToken.None);

        var error = await Assert.ThrowsAsync<ConnectorException>(
            () => connector.ShutdownGuestAsync("lab-web-01", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Calls_UnknownVmSnapshotOrDisk_ThrowNotFound()
    {
        await using var connector = await _folder.ConnectAsync();
        var snapshot = await connector.CreateSnapshotAsync("lab-web-01", "s0", CancellationToken.None);
        var none = CancellationToken.None;

        Func<Task>[] calls =
        [
            () => connector.PowerOnAsync("lab-nope", none),
            () => connector.PowerOffAsync("lab-nope", none),
            () => connector.ShutdownGuestAsync("lab-nope", TimeSpan.FromSeconds(1), none),
            () => connector.CreateSnapshotAsync("lab-nope", "x", none),
            () => connector.EnableChangeTrackingAsync("lab-nope", none),
            () => connector.RemoveSnapshotAsync("lab-web-01", "snap-99", none),
            () => connector.GetChangedAreasAsync("lab-web-01", "snap-99", "disk-0", null, none),
            () => connector.GetChangedAreasAsync("lab-web-01", snapshot.Id, "disk-7", null, none),
            () => connector.OpenSnapshotDiskAsync("lab-web-01", snapshot.Id, "disk-7", none),
            () => connector.OpenSnapshotDiskAsync("lab-nope", snapshot.Id, "disk-0", none),
        ];

        foreach (var call in calls)
        {
            Assert.Equal(ConnectorErrorKind.NotFound, (await Assert.ThrowsAsync<ConnectorException>(call)).Kind);
        }
    }

    private static async Task<VmPowerState> PowerStateAsync(LabConnector connector, string vmId) =>
        (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == vmId).PowerState;
}
