using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Connectors.XenOrchestra;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Connectors.Tests.XenOrchestra;

[Collection(XoCollection.Name)]
public sealed class XenOrchestraConnectorTests
{
    private const int Block = CbtBitmap.BlockSize;
    private readonly XoFixture _fixture;
    private readonly XoTestServer _server;

    public XenOrchestraConnectorTests(XoFixture fixture)
    {
        _fixture = fixture;
        _server = fixture.Server;
        _server.Reset();
    }

    [Fact]
    public async Task GetInventoryAsync_SeedEstate_MapsVmsDisksNicsHostsAndSnapshots()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var vms = await connector.GetInventoryAsync(CancellationToken.None);

        Assert.Equal(2, vms.Count);
        var web = Assert.Single(vms, v => v.Id == XoSeed.WebVmId);
        Assert.Equal("web-01", web.Name);
        Assert.Equal(VmPowerState.PoweredOn, web.PowerState);
        Assert.Equal(2, web.CpuCount);
        Assert.Equal(4294967296, web.MemoryBytes);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", web.GuestOs);
        Assert.Equal(GuestToolsState.Running, web.ToolsState);
        Assert.Equal("xcp-host-1", web.Host);
        Assert.Equal("Lab pool", web.Cluster);
        var disk = Assert.Single(web.Disks);
        Assert.Equal(new SourceDisk(XoSeed.WebVdiId, "web-01 root", XoSeed.WebDiskSize, 1572864, ChangeTrackingState.Enabled, "Local storage"), disk);
        var nic = Assert.Single(web.Nics);
        Assert.Equal(new SourceNic(XoSeed.WebVifId, "Pool-wide network associated with eth0", XoSeed.WebMac), nic);
        var snapshot = Assert.Single(web.Snapshots);
        Assert.Equal(XoSeed.OldSnapshotId, snapshot.Id);
        Assert.Equal("before-upgrade", snapshot.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(XoSeed.OldSnapshotTime), snapshot.CreatedAt);
        Assert.Equal([new SnapshotDisk(XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId)], snapshot.Disks);

        var db = Assert.Single(vms, v => v.Id == XoSeed.DbVmId);
        Assert.Equal(VmPowerState.PoweredOff, db.PowerState);
        Assert.Null(db.Host);
        Assert.Equal("Lab pool", db.Cluster);
        Assert.Equal(ChangeTrackingState.Disabled, Assert.Single(db.Disks).ChangeTracking);
        Assert.Empty(db.Nics);
        Assert.Empty(db.Snapshots);
    }

    [Fact]
    public async Task GetInventoryAsync_AnyRequest_SendsTheTokenAsCookieOnlyAndReadsNdjsonWithFields()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        await connector.GetInventoryAsync(CancellationToken.None);

        var requests = _server.Requests;
        Assert.NotEmpty(requests);
        Assert.All(requests, r =>
        {
            Assert.Equal($"authenticationToken={XoTestServer.Token}", r.Cookie);
            Assert.Equal("", r.Authorization);
            Assert.Contains("ndjson=true", r.PathAndQuery, StringComparison.Ordinal);
            Assert.Contains("fields=", r.PathAndQuery, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TestConnectionAsync_ValidToken_ResolvesUsersMeRedirectAndCountsVms()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var info = await connector.TestConnectionAsync(CancellationToken.None);

        Assert.Equal("Xen Orchestra", info.Product);
        Assert.Equal(2, info.VmCount);
        var paths = _server.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Contains("/rest/v0/users/me", paths);
        Assert.Contains($"/rest/v0/users/{XoTestServer.UserId}", paths);
        Assert.All(_server.Requests, r => Assert.Equal("", r.Authorization));
    }

    [Fact]
    public async Task TestConnectionAsync_UsersMeRedirectsToAnotherServer_RefusedAndTokenNotSentThere()
    {
        using var elsewhere = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var port = ((IPEndPoint)elsewhere.LocalEndpoint).Port;
        _server.UsersMeLocation = $"https://127.0.0.1:{port}/rest/v0/users/{XoTestServer.UserId}";
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Protocol, ex.Kind);
        Assert.False(elsewhere.Pending());
    }

    [Fact]
    public async Task TestConnectionAsync_BadToken_BadCredentialsWithServerMessageAndNoToken()
    {
        const string wrongToken = "not-the-token-9b1f";
        await using var connector = new XenOrchestraConnector(_fixture.Settings(token: wrongToken));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.BadCredentials, ex.Kind);
        Assert.Contains("invalid credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongToken, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, ConnectorErrorKind.BadCredentials)]
    [InlineData(403, ConnectorErrorKind.Forbidden)]
    [InlineData(404, ConnectorErrorKind.NotFound)]
    [InlineData(409, ConnectorErrorKind.Conflict)]
    [InlineData(422, ConnectorErrorKind.InvalidRequest)]
    [InlineData(500, ConnectorErrorKind.ServerError)]
    public async Task GetInventoryAsync_ServerAnswersError_MapsStatusToKindWithServerMessage(int status, ConnectorErrorKind kind)
    {
        var message = $"refused for the test ({status})";
        _server.InjectError("/vms", status, message);
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.GetInventoryAsync(CancellationToken.None));

        Assert.Equal(kind, ex.Kind);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(XoTestServer.Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshotAsync_RunningVm_PollsTheTaskAndReturnsDisksWithChangeIds()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "migration-1", CancellationToken.None);

        Assert.Equal("migration-1", snapshot.Name);
        Assert.NotNull(snapshot.CreatedAt);
        var disk = Assert.Single(snapshot.Disks);
        Assert.Equal(XoSeed.WebVdiId, disk.DiskKey);
        Assert.NotNull(disk.ChangeId);
        var vdiSnapshot = _server.Get("vdi-snapshots", disk.ChangeId);
        Assert.Equal(XoSeed.WebVdiId, vdiSnapshot["$snapshot_of"]!.ToString());
        Assert.Equal(XoSeed.WebVmId, _server.Get("vm-snapshots", snapshot.Id)["$snapshot_of"]!.ToString());
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.PathAndQuery == $"/rest/v0/vms/{XoSeed.WebVmId}/actions/snapshot");
        Assert.Contains(_server.Requests, r => r.PathAndQuery.StartsWith("/rest/v0/tasks/", StringComparison.Ordinal) && r.PathAndQuery.EndsWith("?wait=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateSnapshotAsync_WaitEndsWhileTaskPending_PollsAgainUntilDone()
    {
        _server.EarlyWaitAnswers = 2;
        _server.TaskDuration = TimeSpan.FromSeconds(1);
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "patient", CancellationToken.None);

        Assert.Equal("patient", snapshot.Name);
        Assert.Equal(3, _server.Requests.Count(r => r.PathAndQuery.StartsWith("/rest/v0/tasks/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateSnapshotAsync_DiskWithoutCbt_ChangeIdIsNull()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var snapshot = await connector.CreateSnapshotAsync(XoSeed.DbVmId, "db", CancellationToken.None);

        var disk = Assert.Single(snapshot.Disks);
        Assert.Equal(XoSeed.DbVdiId, disk.DiskKey);
        Assert.Null(disk.ChangeId);
    }

    [Fact]
    public async Task CreateSnapshotAsync_TaskFails_ThrowsWithTheTaskMessage()
    {
        _server.FailNextTask("snapshot", "SR_BACKEND_FAILURE_44(, There is insufficient space, )");
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.CreateSnapshotAsync(XoSeed.WebVmId, "x", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.ServerError, ex.Kind);
        Assert.Contains("There is insufficient space", ex.Message, StringComparison.Ordinal);
        Assert.Contains("snapshot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshotAsync_TaskOutlastsTaskTimeout_TimeoutWithinTheLimit()
    {
        _server.TaskDuration = TimeSpan.FromSeconds(30);
        var settings = _fixture.Settings() with { TaskTimeout = TimeSpan.FromSeconds(1) };
        await using var connector = new XenOrchestraConnector(settings);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.CreateSnapshotAsync(XoSeed.WebVmId, "slow", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Timeout, ex.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task CreateSnapshotAsync_UnknownVm_NotFoundWithServerMessage()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.CreateSnapshotAsync("00000000-0000-0000-0000-000000000000", "x", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.NotFound, ex.Kind);
        Assert.Contains("no such VM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShutdownGuestAsync_ThenPowerOnAsync_VmGoesOffAndOn()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        await connector.ShutdownGuestAsync(XoSeed.WebVmId, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("Halted", _server.Get("vms", XoSeed.WebVmId)["power_state"]!.ToString());

        await connector.PowerOnAsync(XoSeed.WebVmId, CancellationToken.None);
        Assert.Equal("Running", _server.Get("vms", XoSeed.WebVmId)["power_state"]!.ToString());
        Assert.Contains(_server.Requests, r => r.PathAndQuery.EndsWith("/actions/clean_shutdown", StringComparison.Ordinal));
        Assert.Contains(_server.Requests, r => r.PathAndQuery.EndsWith("/actions/start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteVmAsync_HaltedVm_RemovesItWithItsDisks_AndLeavesTheOthers()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());
        var disks = (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == XoSeed.DbVmId).Disks;

        await connector.DeleteVmAsync(XoSeed.DbVmId, CancellationToken.None);

        var left = await connector.GetInventoryAsync(CancellationToken.None);
        Assert.DoesNotContain(left, v => v.Id == XoSeed.DbVmId);
        Assert.Contains(left, v => v.Id == XoSeed.WebVmId);
        Assert.All(disks, d => Assert.False(_server.Has("vdis", d.Key), $"the disk {d.Key} was left behind"));
        Assert.Contains(_server.Requests, r => r.Method == "DELETE" && r.PathAndQuery.EndsWith($"/vms/{XoSeed.DbVmId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteVmAsync_RunningVm_IsRefusedBeforeAnythingIsDeleted()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync(XoSeed.WebVmId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, ex.Kind);
        Assert.Contains("power it off", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "DELETE");
        Assert.Equal("Running", _server.Get("vms", XoSeed.WebVmId)["power_state"]!.ToString());
    }

    [Fact]
    public async Task DeleteVmAsync_UnknownVm_NotFound()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.DeleteVmAsync("00000000-0000-0000-0000-000000000404", CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task PowerOffAsync_HaltedVm_ConflictWithBadPowerState()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.PowerOffAsync(XoSeed.DbVmId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, ex.Kind);
        Assert.Contains("VM_BAD_POWER_STATE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveSnapshotAsync_Existing_DeletesTheSnapshotAndItsDisks()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        await connector.RemoveSnapshotAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, CancellationToken.None);

        Assert.Contains(_server.Requests, r => r.Method == "DELETE" && r.PathAndQuery == $"/rest/v0/vm-snapshots/{XoSeed.OldSnapshotId}");
        var web = Assert.Single(await connector.GetInventoryAsync(CancellationToken.None), v => v.Id == XoSeed.WebVmId);
        Assert.Empty(web.Snapshots);
    }

    [Fact]
    public async Task RemoveSnapshotAsync_SnapshotBusy_ConflictWithServerMessage()
    {
        _server.Get("vm-snapshots", XoSeed.OldSnapshotId)["current_operations"] = new System.Text.Json.Nodes.JsonObject { ["op1"] = "export" };
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.RemoveSnapshotAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Conflict, ex.Kind);
        Assert.Contains("incorrect state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveSnapshotAsync_SnapshotOfAnotherVm_NotFoundAndNothingDeleted()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.RemoveSnapshotAsync(XoSeed.DbVmId, XoSeed.OldSnapshotId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.NotFound, ex.Kind);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task TestConnectionAsync_WrongPin_CertificateMismatchAndNothingSent()
    {
        using var other = TestCertificates.Create("impostor");
        await using var connector = new XenOrchestraConnector(_fixture.Settings(pin: Thumbprints.Sha256(other)));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, ex.Kind);
        Assert.Equal(_fixture.XoThumbprint, ex.ServerThumbprint);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task TestConnectionAsync_NothingListens_ConnectionRefused()
    {
        var port = NbdkitServer.FreePort();
        await using var connector = new XenOrchestraConnector(_fixture.Settings(endpoint: new Uri($"https://127.0.0.1:{port}/")));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.ConnectionRefused, ex.Kind);
    }

    [Fact]
    public async Task TestConnectionAsync_ListenerNeverAnswers_TimeoutWithinRequestTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var settings = _fixture.Settings(endpoint: new Uri($"https://127.0.0.1:{port}/")) with { RequestTimeout = TimeSpan.FromSeconds(1) };
        await using var connector = new XenOrchestraConnector(settings);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.Timeout, ex.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task OpenSnapshotDiskAsync_WithoutHypervisor_ReadsTheRawExportSizedByContentLength()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());
        var expected = _server.Disk(XoSeed.OldSnapshotVdiId);

        await using var disk = await connector.OpenSnapshotDiskAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, XoSeed.WebVdiId, CancellationToken.None);

        Assert.Equal(XoSeed.WebDiskSize, disk.Size);
        Assert.True(disk.Capabilities.HasFlag(DeviceCapabilities.ReadOnly));
        var all = new byte[disk.Size];
        for (var offset = 0; offset < all.Length; offset += 256 * 1024)
        {
            await disk.ReadAsync(offset, all.AsMemory(offset, 256 * 1024), CancellationToken.None);
        }

        Assert.Equal(expected, all);

        // A read behind the stream restarts the download and still gives the right bytes.
        var again = new byte[1000];
        await disk.ReadAsync(12345, again, CancellationToken.None);
        Assert.Equal(expected.AsSpan(12345, 1000).ToArray(), again);
        Assert.Equal(2, _server.Requests.Count(r => r.PathAndQuery == $"/rest/v0/vdi-snapshots/{XoSeed.OldSnapshotVdiId}.raw"));
    }

    [Fact]
    public async Task OpenSnapshotDiskAsync_WithoutHypervisor_FullCopyWithTheEngineEqualsTheSnapshot()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());
        await using var target = new MemoryDevice("target", XoSeed.WebDiskSize);

        await using (var source = await connector.OpenSnapshotDiskAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, XoSeed.WebVdiId, CancellationToken.None))
        {
            // The raw export streams forward only: one worker, one request in flight keeps the reads in order.
            var options = new CopyOptions { Workers = 1, MaxRequestsInFlight = 1 };
            await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.Full, Options = options });
        }

        var copied = new byte[XoSeed.WebDiskSize];
        await target.ReadAsync(0, copied, CancellationToken.None);
        Assert.Equal(_server.Disk(XoSeed.OldSnapshotVdiId), copied);
        Assert.Equal(1, _server.Requests.Count(r => r.PathAndQuery.EndsWith(".raw", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetChangedAreasAsync_SinceWithoutHypervisor_NotSupported()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "s", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.NotSupported, ex.Kind);
        Assert.Contains("XAPI access", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChangedAreasAsync_NoSince_WholeDisk()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));

        var areas = await connector.GetChangedAreasAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, XoSeed.WebVdiId, null, CancellationToken.None);

        Assert.Equal([new ByteRange(0, XoSeed.WebDiskSize)], areas);
    }

    [Fact]
    public async Task GetChangedAreasAsync_BitmapFromXapi_MergedRangesAndSessionLoggedOut()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "s2", CancellationToken.None);
        var changeId = Assert.Single(snapshot.Disks).ChangeId!;
        _server.SetChangedBlocks(XoSeed.OldSnapshotVdiId, changeId, Bitmap(XoSeed.WebDiskSize, 0, 1, 2, 10, 63));

        var areas = await connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None);

        Assert.Equal([new ByteRange(0, 3 * Block), new ByteRange(10 * Block, Block), new ByteRange(63 * Block, Block)], areas);
        Assert.Equal(0, _server.OpenXapiSessions);
    }

    [Fact]
    public async Task GetChangedAreasAsync_UnrelatedChains_ChangeTrackingReset()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "s2", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.ChangeTrackingReset, ex.Kind);
        Assert.Contains("SR_BACKEND_FAILURE_460", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChangedAreasAsync_WrongXapiPassword_BadCredentialsWithoutThePassword()
    {
        var settings = _fixture.Settings(hypervisor: true);
        settings = settings with { Hypervisor = settings.Hypervisor! with { Secret = "wrong-secret-77" } };
        await using var connector = new XenOrchestraConnector(settings);
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "s2", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.BadCredentials, ex.Kind);
        Assert.DoesNotContain("wrong-secret-77", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChangedAreasAsync_WrongXapiPin_CertificateMismatchAndNoLogin()
    {
        using var other = TestCertificates.Create("impostor");
        var settings = _fixture.Settings(hypervisor: true);
        settings = settings with { Hypervisor = settings.Hypervisor! with { TrustedThumbprint = Thumbprints.Sha256(other) } };
        await using var connector = new XenOrchestraConnector(settings);
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "s2", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, ex.Kind);
        Assert.DoesNotContain(_server.Requests, r => r.PathAndQuery.StartsWith("/jsonrpc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenSnapshotDiskAsync_DeltaOverPinnedNbdTls_TargetEqualsTheSnapshot()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));

        // The target holds the earlier snapshot (the last full copy); the VM then writes two blocks.
        var baseline = _server.Disk(XoSeed.OldSnapshotVdiId);
        _server.WriteDisk(XoSeed.WebVdiId, 0, baseline);
        _server.WriteDisk(XoSeed.WebVdiId, 5 * Block, Filled(Block, 0x5A));
        _server.WriteDisk(XoSeed.WebVdiId, 40 * Block + 100, Filled(3000, 0xC3));
        var snapshot = await connector.CreateSnapshotAsync(XoSeed.WebVmId, "delta", CancellationToken.None);
        var changeId = Assert.Single(snapshot.Disks).ChangeId!;
        _server.SetChangedBlocks(XoSeed.OldSnapshotVdiId, changeId, Bitmap(XoSeed.WebDiskSize, 5, 40));
        await using var target = new MemoryDevice("target", XoSeed.WebDiskSize);
        await target.WriteAsync(0, baseline, CancellationToken.None);

        var areas = await connector.GetChangedAreasAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, XoSeed.OldSnapshotVdiId, CancellationToken.None);
        await using (var source = await connector.OpenSnapshotDiskAsync(XoSeed.WebVmId, snapshot.Id, XoSeed.WebVdiId, CancellationToken.None))
        {
            Assert.Equal(XoSeed.WebDiskSize, source.Size);
            Assert.DoesNotContain("session", source.Name, StringComparison.OrdinalIgnoreCase);
            var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.Changed(areas) });
            Assert.InRange(result.BytesRead, 1, 2 * Block);
        }

        var copied = new byte[XoSeed.WebDiskSize];
        await target.ReadAsync(0, copied, CancellationToken.None);
        Assert.Equal(_server.Disk(changeId), copied);
        Assert.Equal(0, _server.OpenXapiSessions);
    }

    [Fact]
    public async Task OpenSnapshotDiskAsync_FullCopyOverPinnedNbdTls_TargetEqualsTheSnapshot()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));
        await using var target = new MemoryDevice("target", XoSeed.WebDiskSize);

        await using (var source = await connector.OpenSnapshotDiskAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, XoSeed.WebVdiId, CancellationToken.None))
        {
            await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.Full });
        }

        var copied = new byte[XoSeed.WebDiskSize];
        await target.ReadAsync(0, copied, CancellationToken.None);
        Assert.Equal(_server.Disk(XoSeed.OldSnapshotVdiId), copied);
    }

    [Fact]
    public async Task OpenSnapshotDiskAsync_NbdCertificateNotTheAnnouncedOne_CertificateMismatchAndSessionLoggedOut()
    {
        using var tampered = TestCertificates.Create("xcp-host-1");
        _server.AnnouncedNbdCertificatePem = tampered.ExportCertificatePem();
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));

        var ex = await Assert.ThrowsAsync<ConnectorException>(() =>
            connector.OpenSnapshotDiskAsync(XoSeed.WebVmId, XoSeed.OldSnapshotId, XoSeed.WebVdiId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, ex.Kind);
        Assert.DoesNotContain("session_id", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _server.OpenXapiSessions);
    }

    [Fact]
    public async Task EnableChangeTrackingAsync_WithHypervisor_EnablesCbtOnDisksWithoutIt()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings(hypervisor: true));

        await connector.EnableChangeTrackingAsync(XoSeed.DbVmId, CancellationToken.None);

        Assert.True(_server.Get("vdis", XoSeed.DbVdiId)["cbt_enabled"]!.GetValue<bool>());
        Assert.Equal(0, _server.OpenXapiSessions);
    }

    [Fact]
    public async Task EnableChangeTrackingAsync_WithoutHypervisor_NotSupported()
    {
        await using var connector = new XenOrchestraConnector(_fixture.Settings());

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => connector.EnableChangeTrackingAsync(XoSeed.DbVmId, CancellationToken.None));

        Assert.Equal(ConnectorErrorKind.NotSupported, ex.Kind);
        Assert.False(_server.Get("vdis", XoSeed.DbVdiId)["cbt_enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Constructor_HttpEndpoint_InvalidEndpoint()
    {
        var ex = Assert.Throws<ConnectorException>(() => new XenOrchestraConnector(_fixture.Settings(endpoint: new Uri("http://127.0.0.1/"))));

        Assert.Equal(ConnectorErrorKind.InvalidEndpoint, ex.Kind);
    }

    [Fact]
    public void Constructor_TokenThatWouldSplitTheCookie_BadCredentialsWithoutTheToken()
    {
        const string token = "abc; authenticationToken=other";

        var ex = Assert.Throws<ConnectorException>(() => new XenOrchestraConnector(_fixture.Settings(token: token)));

        Assert.Equal(ConnectorErrorKind.BadCredentials, ex.Kind);
        Assert.DoesNotContain(token, ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Bitmap(long diskSize, params int[] blocks)
    {
        var bitmap = new byte[(diskSize / Block + 7) / 8];
        foreach (var block in blocks)
        {
            bitmap[block / 8] |= (byte)(0x80 >> (block % 8));
        }

        return bitmap;
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }
}
