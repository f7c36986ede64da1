using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// A Xen Orchestra as a migration source. Inventory, snapshots and power go through XO's REST API with the
/// token as a cookie; disk data and deltas go, as XO's own backups do, straight to the pool master's XAPI
/// (<see cref="ConnectionSettings.Hypervisor"/>): <c>VDI.list_changed_blocks</c> for changed blocks and XAPI's
/// NBD server over TLS, pinned to the certificate XAPI announces. Without XAPI access, disks are read through
/// XO's full raw export and deltas are not available.
/// </summary>
public sealed class XenOrchestraConnector : ISourceConnector
{
    private const string VmFields = "id,name_label,power_state,CPUs,memory,$VBDs,VIFs,$container,$pool,os_version,managementAgentDetected,snapshots";
    private const string VbdFields = "id,VDI,VM,device,position,is_cd_drive";
    private const string VdiFields = "id,name_label,size,usage,cbt_enabled,$SR";
    private const string VifFields = "id,$VM,$network,MAC,device";
    private const string NameFields = "id,name_label";
    private const string VmSnapshotFields = "id,name_label,snapshot_time,$snapshot_of,$VBDs";
    private const string VdiSnapshotFields = "id,$snapshot_of,cbt_enabled,size";

    private readonly ConnectionSettings _settings;
    private readonly XoRestClient _rest;

    public XenOrchestraConnector(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Endpoint.IsAbsoluteUri || !string.Equals(settings.Endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectorException(ConnectorErrorKind.InvalidEndpoint, $"The Xen Orchestra address must be an https URL, not '{settings.Endpoint}'.");
        }

        if (string.IsNullOrEmpty(settings.Secret))
        {
            throw new ConnectorException(ConnectorErrorKind.BadCredentials, "Xen Orchestra needs an authentication token (create one in XO under the user's settings or with xo-cli create-token).");
        }

        // The token goes into a Cookie header as is: characters that would end or split the cookie are refused.
        if (settings.Secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or ',' or '"' or '\\'))
        {
            throw new ConnectorException(ConnectorErrorKind.BadCredentials, "The Xen Orchestra token contains characters a token cannot have (spaces, ';', ',', quotes): paste the token's id only.");
        }

        _settings = settings;
        var endpoint = settings.Endpoint.AbsoluteUri.EndsWith('/') ? settings.Endpoint : new Uri(settings.Endpoint.AbsoluteUri + "/");
        _rest = new XoRestClient(endpoint, settings.Secret, settings.TrustedThumbprint, settings.RequestTimeout);
    }

    public EnvironmentKind Kind => EnvironmentKind.XenOrchestra;

    public async Task<ServerInfo> TestConnectionAsync(CancellationToken cancellationToken)
    {
        // /users/me proves the token (XO answers 307 to /users/<id>, resolved by hand); the href listing counts VMs cheaply.
        await _rest.GetJsonAsync("users/me", cancellationToken);
        var vmCount = await _rest.CountAsync("vms", cancellationToken);
        if (_settings.Hypervisor is { } hypervisor)
        {
            // Deltas need the pool master too: prove that login (and its pinned certificate) now, not at the first delta.
            await using var xapi = await XapiSession.LoginAsync(hypervisor, _settings.RequestTimeout, cancellationToken);
            return new ServerInfo("Xen Orchestra", "REST API v0, with XAPI for changed-block deltas", vmCount);
        }

        return new ServerInfo("Xen Orchestra", "REST API v0", vmCount);
    }

    public async Task<IReadOnlyList<SourceVm>> GetInventoryAsync(CancellationToken cancellationToken)
    {
        var vmsTask = _rest.GetCollectionAsync("vms", VmFields, null, cancellationToken);
        var vbdsTask = _rest.GetCollectionAsync("vbds", VbdFields, null, cancellationToken);
        var vdisTask = _rest.GetCollectionAsync("vdis", VdiFields, null, cancellationToken);
        var vifsTask = _rest.GetCollectionAsync("vifs", VifFields, null, cancellationToken);
        var networksTask = _rest.GetCollectionAsync("networks", NameFields, null, cancellationToken);
        var hostsTask = _rest.GetCollectionAsync("hosts", NameFields, null, cancellationToken);
        var poolsTask = _rest.GetCollectionAsync("pools", NameFields, null, cancellationToken);
        var srsTask = _rest.GetCollectionAsync("srs", NameFields, null, cancellationToken);
        var snapshotsTask = _rest.GetCollectionAsync("vm-snapshots", VmSnapshotFields, null, cancellationToken);
        var vdiSnapshotsTask = _rest.GetCollectionAsync("vdi-snapshots", VdiSnapshotFields, null, cancellationToken);
        await Task.WhenAll(vmsTask, vbdsTask, vdisTask, vifsTask, networksTask, hostsTask, poolsTask, srsTask, snapshotsTask, vdiSnapshotsTask);

        var vbds = ById(await vbdsTask);
        var vdis = ById(await vdisTask);
        var vdiSnapshots = ById(await vdiSnapshotsTask);
        var names = Names(await networksTask, await hostsTask, await poolsTask, await srsTask);
        var vifsByVm = (await vifsTask).ToLookup(v => Str(v, "$VM") ?? "");
        var snapshotsByVm = (await snapshotsTask).ToLookup(s => Str(s, "$snapshot_of") ?? "");

        var result = new List<SourceVm>();
        foreach (var vm in await vmsTask)
        {
            var id = Str(vm, "id") ?? throw Protocol("a VM without an id");
            var container = Str(vm, "$container");
            var pool = Str(vm, "$pool");
            result.Add(new SourceVm
            {
                Id = id,
                Name = Str(vm, "name_label") ?? id,
                PowerState = PowerState(Str(vm, "power_state")),
                CpuCount = (int)(Long(vm["CPUs"]?["number"]) ?? 0),
                MemoryBytes = Long(vm["memory"]?["size"]) ?? 0,
                GuestOs = vm["os_version"] is JsonObject os ? Str(os, "name") : null,
                ToolsState = vm["managementAgentDetected"] is JsonValue agent
                    ? agent.GetValue<bool>() ? GuestToolsState.Running : GuestToolsState.NotRunning
                    : GuestToolsState.Unknown,
                // $container is the host while the VM runs, else the pool.
                Host = container is not null && container != pool ? names.GetValueOrDefault(container) : null,
                Cluster = pool is not null ? names.GetValueOrDefault(pool) : null,
                Disks = [.. VmDisks(Ids(vm["$VBDs"]), id, vbds, vdis, names)],
                Nics = [.. vifsByVm[id].Select(v => new SourceNic(Str(v, "id")!, Str(v, "$network") is { } n ? names.GetValueOrDefault(n, n) : null, Str(v, "MAC")))],
                Snapshots = [.. snapshotsByVm[id].Select(s => Snapshot(s, vbds, vdiSnapshots)).OrderBy(s => s.CreatedAt)],
            });
        }

        return result;
    }

    public async Task<SourceSnapshot> CreateSnapshotAsync(string vmId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vmId);
        var result = await _rest.RunActionAsync(vmId, "snapshot", new JsonObject { ["name_label"] = name }, _settings.TaskTimeout, cancellationToken);
        var snapshotId = result is JsonObject o ? Str(o, "id") : result is JsonValue v ? v.ToString() : null;
        if (string.IsNullOrEmpty(snapshotId))
        {
            throw Protocol("a snapshot task that succeeded without the snapshot's id");
        }

        var snapshot = await GetVmSnapshotAsync(snapshotId, cancellationToken);
        var disks = await SnapshotVdisAsync(snapshot, cancellationToken);
        return new SourceSnapshot(snapshotId, Str(snapshot, "name_label") ?? name, Time(snapshot["snapshot_time"]),
            [.. disks.Select(d => new SnapshotDisk(d.DiskKey, d.CbtEnabled ? d.VdiId : null))]);
    }

    public async Task RemoveSnapshotAsync(string vmId, string snapshotId, CancellationToken cancellationToken)
    {
        var snapshot = await GetVmSnapshotAsync(snapshotId, cancellationToken);
        RequireSnapshotOf(snapshot, vmId, snapshotId);

        // DELETE /vm-snapshots/{id} (204) destroys the snapshot VM and its VDI snapshots; XAPI coalesces the chain later.
        await _rest.DeleteAsync($"vm-snapshots/{Uri.EscapeDataString(snapshotId)}", cancellationToken);
    }

    public async Task<IReadOnlyList<ByteRange>> GetChangedAreasAsync(string vmId, string snapshotId, string diskKey, string? sinceChangeId, CancellationToken cancellationToken)
    {
        var disk = await ResolveSnapshotDiskAsync(vmId, snapshotId, diskKey, cancellationToken);
        if (sinceChangeId is null)
        {
            // No cheap allocation map here: the whole disk, whose holes the copier still skips over NBD.
            return disk.Size > 0 ? [new ByteRange(0, disk.Size)] : [];
        }

        if (_settings.Hypervisor is not { } hypervisor)
        {
            throw new ConnectorException(ConnectorErrorKind.NotSupported, "Deltas need XAPI access: Xen Orchestra's REST API exports whole disks only. Add the pool master's XAPI address and login to this environment.");
        }

        if (!disk.CbtEnabled)
        {
            throw new ConnectorException(ConnectorErrorKind.ChangeTrackingReset, $"Changed-block tracking was off for disk {diskKey} at snapshot {snapshotId}: copy it whole.");
        }

        await using var xapi = await XapiSession.LoginAsync(hypervisor, _settings.RequestTimeout, cancellationToken);
        string fromRef;
        try
        {
            fromRef = Ref(await xapi.CallAsync("VDI.get_by_uuid", cancellationToken, sinceChangeId));
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.NotFound)
        {
            throw new ConnectorException(ConnectorErrorKind.ChangeTrackingReset, $"The earlier snapshot's disk {sinceChangeId} no longer exists on XAPI: copy disk {diskKey} whole.", ex);
        }

        var toRef = Ref(await xapi.CallAsync("VDI.get_by_uuid", cancellationToken, disk.VdiId));
        var bitmap = await xapi.CallAsync("VDI.list_changed_blocks", cancellationToken, fromRef, toRef);
        return CbtBitmap.Decode(bitmap?.GetValue<string>() ?? throw Protocol("an empty changed-block bitmap"), disk.Size);
    }

    public async Task<IBlockDevice> OpenSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken)
    {
        var disk = await ResolveSnapshotDiskAsync(vmId, snapshotId, diskKey, cancellationToken);
        var name = $"xo:{snapshotId}/{diskKey}";
        if (_settings.Hypervisor is not { } hypervisor)
        {
            var path = $"vdi-snapshots/{Uri.EscapeDataString(disk.VdiId)}.raw";
            return await XoRawExportDevice.OpenAsync(name, ct => _rest.OpenDownloadAsync(path, ct), cancellationToken);
        }

        var xapi = await XapiSession.LoginAsync(hypervisor, _settings.RequestTimeout, cancellationToken);
        try
        {
            var vdiRef = Ref(await xapi.CallAsync("VDI.get_by_uuid", cancellationToken, disk.VdiId));
            var infos = await xapi.CallAsync("VDI.get_nbd_info", cancellationToken, vdiRef) as JsonArray;
            if (infos is null || infos.Count == 0 || infos[0] is not JsonObject info)
            {
                throw new ConnectorException(ConnectorErrorKind.NotSupported, "XAPI offers no NBD access to this disk: give a network of the pool the 'nbd' purpose (network.add_purpose).");
            }

            var address = Str(info, "address") ?? throw Protocol("NBD info without an address");
            var port = (int)(Long(info["port"]) ?? NbdUri.DefaultPort);
            var exportName = Str(info, "exportname") ?? throw Protocol("NBD info without an export name");
            var pin = CertificatePin(Str(info, "cert"));
            var options = new BlockDeviceOpenOptions { PinnedCertificateSha256 = pin, Timeout = _settings.RequestTimeout };
            IBlockDevice nbd;
            try
            {
                nbd = await NbdDevice.ConnectAsync(NbdUri.Tcp(address, port, exportName), options, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw NbdFailure(ex, address, port, exportName);
            }

            return new XapiNbdDevice(nbd, xapi, $"xapi-nbd://{address}:{port.ToString(CultureInfo.InvariantCulture)}/{disk.VdiId}", exportName);
        }
        catch
        {
            await xapi.DisposeAsync();
            throw;
        }
    }

    public async Task EnableChangeTrackingAsync(string vmId, CancellationToken cancellationToken)
    {
        if (_settings.Hypervisor is not { } hypervisor)
        {
            throw new ConnectorException(ConnectorErrorKind.NotSupported, "Xen Orchestra's REST API cannot turn on changed-block tracking: add the pool master's XAPI access to this environment, or enable CBT on the VM's disks in XO.");
        }

        var vm = await _rest.GetJsonAsync($"vms/{Uri.EscapeDataString(vmId)}", cancellationToken) as JsonObject ?? throw Protocol("a VM that is not an object");
        var vdiIds = new List<string>();
        foreach (var vbdId in Ids(vm["$VBDs"]))
        {
            var vbd = await _rest.GetJsonAsync($"vbds/{Uri.EscapeDataString(vbdId)}", cancellationToken) as JsonObject;
            if (vbd is null || Bool(vbd, "is_cd_drive") || Str(vbd, "VDI") is not { } vdiId)
            {
                continue;
            }

            var vdi = await _rest.GetJsonAsync($"vdis/{Uri.EscapeDataString(vdiId)}", cancellationToken) as JsonObject;
            if (vdi is not null && !Bool(vdi, "cbt_enabled"))
            {
                vdiIds.Add(vdiId);
            }
        }

        if (vdiIds.Count == 0)
        {
            return;
        }

        await using var xapi = await XapiSession.LoginAsync(hypervisor, _settings.RequestTimeout, cancellationToken);
        foreach (var vdiId in vdiIds)
        {
            var vdiRef = Ref(await xapi.CallAsync("VDI.get_by_uuid", cancellationToken, vdiId));
            await xapi.CallAsync("VDI.enable_cbt", cancellationToken, vdiRef);
        }
    }

    public async Task ShutdownGuestAsync(string vmId, TimeSpan timeout, CancellationToken cancellationToken) =>
        await _rest.RunActionAsync(vmId, "clean_shutdown", null, timeout, cancellationToken);

    public async Task PowerOffAsync(string vmId, CancellationToken cancellationToken) =>
        await _rest.RunActionAsync(vmId, "hard_shutdown", null, _settings.TaskTimeout, cancellationToken);

    public async Task PowerOnAsync(string vmId, CancellationToken cancellationToken) =>
        await _rest.RunActionAsync(vmId, "start", null, _settings.TaskTimeout, cancellationToken);

    /// <summary>
    /// <c>DELETE /vms/{id}</c>, which destroys the VM with its disks (XO's <c>$destroy()</c>); a VM that is not halted is
    /// refused here first, with a plain message, rather than by XAPI's error.
    /// </summary>
    public async Task DeleteVmAsync(string vmId, CancellationToken cancellationToken)
    {
        var vm = await _rest.GetJsonAsync($"vms/{Uri.EscapeDataString(vmId)}", cancellationToken) as JsonObject ?? throw Protocol("a VM that is not an object");
        if (Str(vm, "power_state") is var state && state != "Halted")
        {
            throw new ConnectorException(ConnectorErrorKind.Conflict, $"{Str(vm, "name_label") ?? vmId} is {state ?? "in an unknown state"}: power it off before it is deleted.");
        }

        await _rest.DeleteAsync($"vms/{Uri.EscapeDataString(vmId)}", cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _rest.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<SourceDisk> VmDisks(IEnumerable<string> vbdIds, string vmId, Dictionary<string, JsonObject> vbds, Dictionary<string, JsonObject> vdis, Dictionary<string, string> names)
    {
        foreach (var vbdId in vbdIds)
        {
            if (!vbds.TryGetValue(vbdId, out var vbd) || Bool(vbd, "is_cd_drive") || Str(vbd, "VM") != vmId
                || Str(vbd, "VDI") is not { } vdiId || !vdis.TryGetValue(vdiId, out var vdi))
            {
                continue;
            }

            var sr = Str(vdi, "$SR");
            yield return new SourceDisk(
                vdiId,
                Str(vdi, "name_label") ?? Str(vbd, "device") ?? vdiId,
                Long(vdi["size"]) ?? 0,
                Long(vdi["usage"]),
                Bool(vdi, "cbt_enabled") ? ChangeTrackingState.Enabled : ChangeTrackingState.Disabled,
                sr is not null ? names.GetValueOrDefault(sr, sr) : null);
        }
    }

    private static SourceSnapshot Snapshot(JsonObject snapshot, Dictionary<string, JsonObject> vbds, Dictionary<string, JsonObject> vdiSnapshots)
    {
        var id = Str(snapshot, "id")!;
        var disks = new List<SnapshotDisk>();
        foreach (var vbdId in Ids(snapshot["$VBDs"]))
        {
            if (vbds.TryGetValue(vbdId, out var vbd) && Str(vbd, "VDI") is { } vdiId && vdiSnapshots.TryGetValue(vdiId, out var vdi)
                && Str(vdi, "$snapshot_of") is { } diskKey)
            {
                disks.Add(new SnapshotDisk(diskKey, Bool(vdi, "cbt_enabled") ? vdiId : null));
            }
        }

        return new SourceSnapshot(id, Str(snapshot, "name_label") ?? id, Time(snapshot["snapshot_time"]), disks);
    }

    private async Task<JsonObject> GetVmSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        await _rest.GetJsonAsync($"vm-snapshots/{Uri.EscapeDataString(snapshotId)}", cancellationToken) as JsonObject
            ?? throw Protocol("a VM snapshot that is not an object");

    /// <summary>The VDI snapshots of a VM snapshot, each with the VM's VDI it was taken from (the disk key).</summary>
    private async Task<List<SnapshotVdi>> SnapshotVdisAsync(JsonObject snapshot, CancellationToken cancellationToken)
    {
        var disks = new List<SnapshotVdi>();
        foreach (var vbdId in Ids(snapshot["$VBDs"]))
        {
            var vbd = await _rest.GetJsonAsync($"vbds/{Uri.EscapeDataString(vbdId)}", cancellationToken) as JsonObject;
            if (vbd is null || Bool(vbd, "is_cd_drive") || Str(vbd, "VDI") is not { } vdiId)
            {
                continue;
            }

            var vdi = await _rest.GetJsonAsync($"vdi-snapshots/{Uri.EscapeDataString(vdiId)}", cancellationToken) as JsonObject;
            if (vdi is not null && Str(vdi, "$snapshot_of") is { } diskKey)
            {
                disks.Add(new SnapshotVdi(diskKey, vdiId, Long(vdi["size"]) ?? 0, Bool(vdi, "cbt_enabled")));
            }
        }

        return disks;
    }

    private async Task<SnapshotVdi> ResolveSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken)
    {
        var snapshot = await GetVmSnapshotAsync(snapshotId, cancellationToken);
        RequireSnapshotOf(snapshot, vmId, snapshotId);
        var disks = await SnapshotVdisAsync(snapshot, cancellationToken);
        return disks.FirstOrDefault(d => d.DiskKey == diskKey)
            ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} has no copy of disk {diskKey}.");
    }

    private static void RequireSnapshotOf(JsonObject snapshot, string vmId, string snapshotId)
    {
        if (Str(snapshot, "$snapshot_of") != vmId)
        {
            throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} is not a snapshot of VM {vmId}.");
        }
    }

    /// <summary>The SHA-256 of the certificate XAPI says its NBD server presents (XO itself does not check it).</summary>
    private static string CertificatePin(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new ConnectorException(ConnectorErrorKind.TlsFailure, "XAPI announced its NBD server without a certificate; refusing to read the disk unauthenticated.");
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return Convert.ToHexString(SHA256.HashData(certificate.RawData));
        }
        catch (CryptographicException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, "XAPI announced an NBD certificate that cannot be read.", ex);
        }
    }

    private static ConnectorException NbdFailure(Exception ex, string address, int port, string exportName)
    {
        var where = $"XAPI's NBD server {address}:{port.ToString(CultureInfo.InvariantCulture)}";
        if (ex is TimeoutException or OperationCanceledException)
        {
            return new ConnectorException(ConnectorErrorKind.Timeout, $"{where} did not answer in time.", ex);
        }

        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return new ConnectorException(ConnectorErrorKind.CertificateMismatch, $"{where} presented a certificate other than the one XAPI announced for it: nothing was read.", inner);
            }

            if (inner is System.Net.Sockets.SocketException socket)
            {
                return ConnectorFailures.From(socket, new Uri($"https://{address}:{port.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        var message = ex.Message.Replace(exportName, "(export)", StringComparison.Ordinal).Replace(Uri.EscapeDataString(exportName), "(export)", StringComparison.Ordinal);
        return new ConnectorException(ConnectorErrorKind.Protocol, $"{where} failed: {message}");
    }

    private static VmPowerState PowerState(string? state) => state switch
    {
        "Running" => VmPowerState.PoweredOn,
        "Halted" => VmPowerState.PoweredOff,
        "Suspended" => VmPowerState.Suspended,
        "Paused" => VmPowerState.Paused,
        _ => VmPowerState.Unknown,
    };

    private static Dictionary<string, JsonObject> ById(IEnumerable<JsonObject> items)
    {
        var map = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (Str(item, "id") is { } id)
            {
                map[id] = item;
            }
        }

        return map;
    }

    private static Dictionary<string, string> Names(params IReadOnlyList<JsonObject>[] collections)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in collections.SelectMany(c => c))
        {
            if (Str(item, "id") is { } id && Str(item, "name_label") is { } name)
            {
                names[id] = name;
            }
        }

        return names;
    }

    private static IEnumerable<string> Ids(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.ToString()).OfType<string>() : [];

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? (long)d : null;

    /// <summary>XO gives snapshot_time in seconds since the epoch.</summary>
    private static DateTimeOffset? Time(JsonNode? node) => Long(node) is { } seconds && seconds > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string Ref(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : throw Protocol("XAPI returned no object reference");

    private static ConnectorException Protocol(string what) =>
        new(ConnectorErrorKind.Protocol, $"Xen Orchestra returned {what}.");

    private sealed record SnapshotVdi(string DiskKey, string VdiId, long Size, bool CbtEnabled);
}
