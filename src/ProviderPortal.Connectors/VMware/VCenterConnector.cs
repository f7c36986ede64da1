using System.Xml.Linq;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.VMware;

/// <summary>
/// A vCenter (or ESXi) through the vim25 SOAP API: inventory by property collector, snapshots and power by tasks
/// polled to completion, changed areas by QueryChangedDiskAreas, disk data by datastore HTTP range reads
/// (or an NBD location, e.g. nbdkit's vddk plugin, when <see cref="ConnectionSettings.NbdUriTemplate"/> is set).
/// </summary>
public sealed class VCenterConnector : ISourceConnector
{
    private const int PageSize = 100;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    private readonly ConnectionSettings _settings;
    private readonly VimSoapClient? _client;
    private readonly ConnectorException? _settingsError;
    private readonly string _where;
    private readonly TimeProvider _time;

    public VCenterConnector(ConnectionSettings settings)
        : this(settings, TimeProvider.System)
    {
    }

    public VCenterConnector(ConnectionSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _time = time;
        _where = $"{settings.Endpoint.Host}:{settings.Endpoint.Port}";
        try
        {
            _client = new VimSoapClient(settings);
        }
        catch (ConnectorException ex)
        {
            // Nothing connects in the constructor: bad settings fail the first call, as any connection failure would.
            _settingsError = ex;
        }
    }

    public EnvironmentKind Kind => _settings.Kind;

    public Task<ServerInfo> TestConnectionAsync(CancellationToken cancellationToken) =>
        CallAsync("test the connection", async () =>
        {
            var content = await Client.GetContentAsync(cancellationToken);
            var view = await CreateViewAsync(["VirtualMachine"], cancellationToken);
            try
            {
                var objects = await RetrieveAsync([("ContainerView", ["view"])], [Vim.ObjectSet(view)], cancellationToken);
                return new ServerInfo(content.Product, content.Version, objects.Sum(o => o.Get("view")?.Elements().Count() ?? 0));
            }
            finally
            {
                await DestroyViewAsync(view);
            }
        });

    public Task<IReadOnlyList<SourceVm>> GetInventoryAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<SourceVm>>("read the inventory", async () =>
        {
            var view = await CreateViewAsync(["VirtualMachine"], cancellationToken);
            List<VimObject> vms;
            try
            {
                vms = await RetrieveAsync([("VirtualMachine", VmReader.VmPaths)], [Vim.ViewObjectSet(view)], cancellationToken);
            }
            finally
            {
                await DestroyViewAsync(view);
            }

            vms = [.. vms.Where(vm => !VmReader.IsTemplate(vm))];
            var placement = await ReadPlacementAsync(cancellationToken);
            var portgroups = VmReader.UsesDistributedPortgroups(vms) ? await ReadPortgroupsAsync(cancellationToken) : [];
            var snapshotDisks = await ReadSnapshotDisksAsync(vms.SelectMany(vm => VmReader.Snapshots(vm.Get("snapshot")).Select(s => s.Id)), cancellationToken);
            return [.. vms.Select(vm =>
            {
                var (host, cluster) = placement.GetValueOrDefault(vm.Text("runtime.host") ?? "");
                var snapshots = VmReader.Snapshots(vm.Get("snapshot"))
                    .Select(s => new SourceSnapshot(s.Id, s.Name, s.CreatedAt, snapshotDisks.GetValueOrDefault(s.Id) ?? []))
                    .ToList();
                return VmReader.ToSourceVm(vm, host, cluster, snapshots, portgroups);
            })];
        });

    public Task<SourceSnapshot> CreateSnapshotAsync(string vmId, string name, CancellationToken cancellationToken) =>
        CallAsync("create a snapshot", async () =>
        {
            var vm = VmRef(vmId);
            var task = await InvokeAsync("CreateSnapshot_Task", vm, [Vim.El("name", name), Vim.Bool("memory", false), Vim.Bool("quiesce", false)], cancellationToken);
            var result = await WaitForTaskAsync(ReturnRef(task), cancellationToken)
                ?? throw new ConnectorException(ConnectorErrorKind.Protocol, $"vCenter {_where} created a snapshot of {vmId} but did not say which.");
            var snapshot = ManagedObject.Parse(result);
            var objects = await RetrieveAsync(
                [("VirtualMachineSnapshot", ["config.hardware.device"]), ("VirtualMachine", ["snapshot"])],
                [Vim.ObjectSet(snapshot), Vim.ObjectSet(vm)],
                cancellationToken);
            var disks = VmReader.SnapshotDisks(objects.FirstOrDefault(o => o.Ref.Value == snapshot.Value)?.Get("config.hardware.device"));
            var node = VmReader.Snapshots(objects.FirstOrDefault(o => o.Ref.Value == vm.Value)?.Get("snapshot")).FirstOrDefault(s => s.Id == snapshot.Value);
            return new SourceSnapshot(snapshot.Value, node.Name ?? name, node.CreatedAt, disks);
        });

    public Task RemoveSnapshotAsync(string vmId, string snapshotId, CancellationToken cancellationToken) =>
        CallAsync("remove a snapshot", async () =>
        {
            var task = await InvokeAsync("RemoveSnapshot_Task", SnapshotRef(snapshotId), [Vim.Bool("removeChildren", false), Vim.Bool("consolidate", true)], cancellationToken);
            await WaitForTaskAsync(ReturnRef(task), cancellationToken);
            return true;
        });

    public Task<IReadOnlyList<ByteRange>> GetChangedAreasAsync(string vmId, string snapshotId, string diskKey, string? sinceChangeId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<ByteRange>>("read changed areas", async () =>
        {
            var disk = await ReadSnapshotDiskAsync(snapshotId, diskKey, cancellationToken);
            var capacity = VmReader.Capacity(disk);
            var areas = new List<ByteRange>();
            for (var offset = 0L; offset < capacity;)
            {
                XElement answer;
                try
                {
                    answer = await InvokeAsync(
                        "QueryChangedDiskAreas",
                        VmRef(vmId),
                        [SnapshotRef(snapshotId).ToElement("snapshot"), Vim.El("deviceKey", diskKey), Vim.Number("startOffset", offset), Vim.El("changeId", sinceChangeId ?? "*")],
                        cancellationToken);
                }
                catch (VimFaultException fault) when (VimFaults.IsFileFault(fault.FaultType))
                {
                    throw new ConnectorException(
                        ConnectorErrorKind.ChangeTrackingReset,
                        $"vCenter {_where} no longer knows the change id of disk {diskKey} of {vmId} ({fault.LocalizedMessage.Trim()}): a full copy is needed.",
                        fault);
                }

                var info = answer.Element(Vim.Ns + "returnval") ?? throw Vim.Malformed("QueryChangedDiskAreas without returnval");
                var start = Vim.Long(info, "startOffset") ?? offset;
                var length = Vim.Long(info, "length") ?? 0;
                if (length <= 0 || start + length <= offset)
                {
                    throw new ConnectorException(ConnectorErrorKind.Protocol, $"vCenter {_where} answered QueryChangedDiskAreas at offset {offset} without progress.");
                }

                areas.AddRange(info.Elements(Vim.Ns + "changedArea").Select(a => new ByteRange(Vim.Long(a, "start") ?? 0, Vim.Long(a, "length") ?? 0)));
                offset = start + length;
            }

            return Merge(areas);
        });

    public Task<IBlockDevice> OpenSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken) =>
        CallAsync("open a snapshot disk", async () =>
        {
            if (!string.IsNullOrWhiteSpace(_settings.NbdUriTemplate))
            {
                var location = _settings.NbdUriTemplate
                    .Replace("{vm}", Uri.EscapeDataString(vmId), StringComparison.Ordinal)
                    .Replace("{snapshot}", Uri.EscapeDataString(snapshotId), StringComparison.Ordinal)
                    .Replace("{disk}", Uri.EscapeDataString(diskKey), StringComparison.Ordinal);
                return await BlockDevices.OpenAsync(location, new BlockDeviceOpenOptions { Timeout = _settings.RequestTimeout }, cancellationToken);
            }

            var disk = await ReadSnapshotDiskAsync(snapshotId, diskKey, cancellationToken);
            var backing = disk.Element(Vim.Ns + "backing");
            var fileName = Vim.Child(backing, "fileName")
                ?? throw new ConnectorException(ConnectorErrorKind.NotSupported, $"Disk {diskKey} of snapshot {snapshotId} has no backing file to read.");

            // Datastore reads see a snapshot's data only in a flat base disk; a delta (an older snapshot below) or an
            // RDM needs a reader that understands the chain, such as nbdkit's vddk plugin behind NbdUriTemplate.
            if (backing is null || Vim.TypeOf(backing) is not ("VirtualDiskFlatVer2BackingInfo" or "VirtualDiskFlatVer1BackingInfo") || backing.Element(Vim.Ns + "parent") is not null)
            {
                throw new ConnectorException(
                    ConnectorErrorKind.NotSupported,
                    $"Disk {diskKey} of snapshot {snapshotId} ({fileName}) is not a flat base disk, so it cannot be read over datastore HTTP: "
                    + "remove the VM's older snapshots, or configure an NBD (vddk) location for this environment.");
            }
            var (datastore, path) = DatastorePath.Parse(fileName);
            var datacenter = await FindDatacenterAsync(backing?.Element(Vim.Ns + "datastore"), cancellationToken);
            var url = DatastorePath.FlatFileUrl(_settings.Endpoint, datacenter, datastore, path);
            return (IBlockDevice)new DatastoreDiskDevice(Client, url, $"{fileName} (disk {diskKey} of {vmId} at {snapshotId})", VmReader.Capacity(disk));
        });

    public Task EnableChangeTrackingAsync(string vmId, CancellationToken cancellationToken) =>
        CallAsync("turn change tracking on", async () =>
        {
            var task = await InvokeAsync("ReconfigVM_Task", VmRef(vmId), [new XElement(Vim.Ns + "spec", Vim.Bool("changeTrackingEnabled", true))], cancellationToken);
            await WaitForTaskAsync(ReturnRef(task), cancellationToken);
            return true;
        });

    public Task ShutdownGuestAsync(string vmId, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync("shut the guest down", async () =>
        {
            var vm = VmRef(vmId);
            await InvokeAsync("ShutdownGuest", vm, [], cancellationToken);
            var started = _time.GetTimestamp();
            for (var wait = FirstPoll; ; wait = Next(wait))
            {
                var state = (await RetrieveAsync([("VirtualMachine", ["runtime.powerState"])], [Vim.ObjectSet(vm)], cancellationToken)).FirstOrDefault()?.Text("runtime.powerState");
                if (state == "poweredOff")
                {
                    return true;
                }

                var left = timeout - _time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    throw new ConnectorException(ConnectorErrorKind.Timeout, $"The guest of {vmId} did not shut down within {timeout.TotalSeconds:0} s (it is still {state ?? "in an unknown state"}).");
                }

                await Task.Delay(wait < left ? wait : left, _time, cancellationToken);
            }
        });

    public Task PowerOffAsync(string vmId, CancellationToken cancellationToken) => RunVmTaskAsync("PowerOffVM_Task", vmId, "power off", cancellationToken);

    public Task PowerOnAsync(string vmId, CancellationToken cancellationToken) => RunVmTaskAsync("PowerOnVM_Task", vmId, "power on", cancellationToken);

    /// <summary>Destroy_Task, which removes the VM and its disk files; a VM that is not powered off is refused before anything is sent.</summary>
    public Task DeleteVmAsync(string vmId, CancellationToken cancellationToken) =>
        CallAsync("delete the VM", async () =>
        {
            var vm = VmRef(vmId);
            var state = (await RetrieveAsync([("VirtualMachine", ["runtime.powerState"])], [Vim.ObjectSet(vm)], cancellationToken)).FirstOrDefault()?.Text("runtime.powerState");
            if (state != "poweredOff")
            {
                throw new ConnectorException(ConnectorErrorKind.Conflict, $"{vmId} is {state ?? "in an unknown state"}: power it off before it is deleted.");
            }

            var task = await InvokeAsync("Destroy_Task", vm, [], cancellationToken);
            await WaitForTaskAsync(ReturnRef(task), cancellationToken);
            return true;
        });

    public ValueTask DisposeAsync() => _client?.DisposeAsync() ?? ValueTask.CompletedTask;

    private VimSoapClient Client => _client ?? throw new ConnectorException(_settingsError!.Kind, _settingsError.Message);

    private static ManagedObject VmRef(string vmId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vmId);
        return new ManagedObject("VirtualMachine", vmId);
    }

    private static ManagedObject SnapshotRef(string snapshotId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        return new ManagedObject("VirtualMachineSnapshot", snapshotId);
    }

    private static ManagedObject ReturnRef(XElement response) =>
        ManagedObject.Parse(response.Element(Vim.Ns + "returnval") ?? throw Vim.Malformed("a task call without returnval"));

    private static TimeSpan Next(TimeSpan wait) => wait * 2 < LongestPoll ? wait * 2 : LongestPoll;

    private static List<ByteRange> Merge(List<ByteRange> areas)
    {
        var merged = new List<ByteRange>();
        foreach (var area in areas.Where(a => a.Length > 0).OrderBy(a => a.Offset))
        {
            if (merged.Count > 0 && merged[^1].End >= area.Offset)
            {
                merged[^1] = merged[^1] with { Length = Math.Max(merged[^1].End, area.End) - merged[^1].Offset };
            }
            else
            {
                merged.Add(area);
            }
        }

        return merged;
    }

    private Task RunVmTaskAsync(string method, string vmId, string action, CancellationToken cancellationToken) =>
        CallAsync(action, async () =>
        {
            var task = await InvokeAsync(method, VmRef(vmId), [], cancellationToken);
            await WaitForTaskAsync(ReturnRef(task), cancellationToken);
            return true;
        });

    /// <summary>Runs one connector operation; vim25 faults leave it as ConnectorExceptions saying what was being done.</summary>
    private async Task<T> CallAsync<T>(string action, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (VimFaultException fault)
        {
            throw VimFaults.ToConnectorException(fault, _where, action);
        }
        catch (InvalidDataException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, $"vCenter {_where} answered something unexpected while trying to {action}: {ex.Message}", ex);
        }
    }

    private async Task<XElement> InvokeAsync(string method, ManagedObject target, IEnumerable<XElement> arguments, CancellationToken cancellationToken) =>
        await Client.InvokeAsync(method, target, arguments, cancellationToken);

    private async Task<ManagedObject> CreateViewAsync(string[] types, CancellationToken cancellationToken)
    {
        var content = await Client.GetContentAsync(cancellationToken);
        var response = await InvokeAsync(
            "CreateContainerView",
            content.ViewManager,
            [content.RootFolder.ToElement("container"), .. types.Select(t => Vim.El("type", t)), Vim.Bool("recursive", true)],
            cancellationToken);
        return ReturnRef(response);
    }

    private async Task DestroyViewAsync(ManagedObject view)
    {
        // Views live until the session ends; destroying them is tidiness, never worth failing the operation.
        try
        {
            using var limit = new CancellationTokenSource(_settings.RequestTimeout);
            await InvokeAsync("DestroyView", view, [], limit.Token);
        }
        catch (Exception ex) when (ex is ConnectorException or VimFaultException or OperationCanceledException)
        {
        }
    }

    /// <summary>RetrievePropertiesEx, following the continuation token until every page is read.</summary>
    private async Task<List<VimObject>> RetrieveAsync(IEnumerable<(string Type, string[] Paths)> propSets, IEnumerable<XElement> objectSets, CancellationToken cancellationToken)
    {
        var content = await Client.GetContentAsync(cancellationToken);
        var response = await InvokeAsync(
            "RetrievePropertiesEx",
            content.PropertyCollector,
            [Vim.FilterSpec(propSets, objectSets), new XElement(Vim.Ns + "options", Vim.Number("maxObjects", PageSize))],
            cancellationToken);
        var (objects, token) = Vim.ReadRetrieveResult(response);
        while (token is not null)
        {
            var next = await InvokeAsync("ContinueRetrievePropertiesEx", content.PropertyCollector, [Vim.El("token", token)], cancellationToken);
            var (more, nextToken) = Vim.ReadRetrieveResult(next);
            objects.AddRange(more);
            token = nextToken;
        }

        return objects;
    }

    /// <summary>Polls Task.info until success (returns info.result) or error (throws its fault), at most TaskTimeout.</summary>
    private async Task<XElement?> WaitForTaskAsync(ManagedObject task, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        for (var wait = FirstPoll; ; wait = Next(wait))
        {
            var info = (await RetrieveAsync([("Task", ["info"])], [Vim.ObjectSet(task)], cancellationToken)).FirstOrDefault()?.Get("info")
                ?? throw new ConnectorException(ConnectorErrorKind.Protocol, $"vCenter {_where} did not report task {task.Value}.");
            switch (Vim.Child(info, "state"))
            {
                case "success":
                    return info.Element(Vim.Ns + "result");
                case "error":
                    throw info.Element(Vim.Ns + "error") is { } error ? Vim.ReadLocalizedFault(error) : new VimFaultException("Fault", $"task {task.Value} failed");
            }

            if (_time.GetElapsedTime(started) >= _settings.TaskTimeout)
            {
                throw new ConnectorException(ConnectorErrorKind.Timeout, $"vCenter {_where} did not finish task {task.Value} ({Vim.Child(info, "descriptionId")}) within {_settings.TaskTimeout.TotalMinutes:0.#} min.");
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Every host's name and, when it belongs to a cluster, the cluster's name: one retrieval, not one per VM.</summary>
    private async Task<Dictionary<string, (string? Host, string? Cluster)>> ReadPlacementAsync(CancellationToken cancellationToken)
    {
        var view = await CreateViewAsync(["HostSystem", "ClusterComputeResource"], cancellationToken);
        try
        {
            var objects = await RetrieveAsync([("HostSystem", ["name", "parent"]), ("ClusterComputeResource", ["name"])], [Vim.ViewObjectSet(view)], cancellationToken);
            var clusters = objects.Where(o => o.Ref.Type == "ClusterComputeResource").ToDictionary(o => o.Ref.Value, o => o.Text("name"));
            return objects.Where(o => o.Ref.Type == "HostSystem").ToDictionary(
                o => o.Ref.Value,
                o => (o.Text("name"), clusters.GetValueOrDefault(o.Text("parent") ?? "")));
        }
        finally
        {
            await DestroyViewAsync(view);
        }
    }

    /// <summary>Distributed port group names by key (and by moref, which vCenter uses as the key).</summary>
    private async Task<Dictionary<string, string>> ReadPortgroupsAsync(CancellationToken cancellationToken)
    {
        var view = await CreateViewAsync(["DistributedVirtualPortgroup"], cancellationToken);
        try
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var portgroup in await RetrieveAsync([("DistributedVirtualPortgroup", ["name", "key"])], [Vim.ViewObjectSet(view)], cancellationToken))
            {
                var name = portgroup.Text("name") ?? portgroup.Ref.Value;
                names[portgroup.Ref.Value] = name;
                if (portgroup.Text("key") is { Length: > 0 } key)
                {
                    names[key] = name;
                }
            }

            return names;
        }
        finally
        {
            await DestroyViewAsync(view);
        }
    }

    /// <summary>The change ids of the disks of every snapshot named, in one retrieval.</summary>
    private async Task<Dictionary<string, IReadOnlyList<SnapshotDisk>>> ReadSnapshotDisksAsync(IEnumerable<string> snapshotIds, CancellationToken cancellationToken)
    {
        var ids = snapshotIds.Where(id => id.Length > 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var objects = await RetrieveAsync([("VirtualMachineSnapshot", ["config.hardware.device"])], ids.Select(id => Vim.ObjectSet(SnapshotRef(id))), cancellationToken);
        return objects.ToDictionary(o => o.Ref.Value, o => VmReader.SnapshotDisks(o.Get("config.hardware.device")));
    }

    private async Task<XElement> ReadSnapshotDiskAsync(string snapshotId, string diskKey, CancellationToken cancellationToken)
    {
        var devices = (await RetrieveAsync([("VirtualMachineSnapshot", ["config.hardware.device"])], [Vim.ObjectSet(SnapshotRef(snapshotId))], cancellationToken))
            .FirstOrDefault()?.Get("config.hardware.device");
        return VmReader.FindDisk(devices, diskKey)
            ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} on vCenter {_where} has no disk with key {diskKey}.");
    }

    /// <summary>The name of the datacenter holding a datastore (datastore HTTP access needs it as dcPath).</summary>
    private async Task<string> FindDatacenterAsync(XElement? datastore, CancellationToken cancellationToken)
    {
        var view = await CreateViewAsync(["Datacenter"], cancellationToken);
        try
        {
            var datacenters = await RetrieveAsync([("Datacenter", ["name", "datastore"])], [Vim.ViewObjectSet(view)], cancellationToken);
            var wanted = datastore?.Value.Trim();
            var match = datacenters.FirstOrDefault(dc => wanted is not null && (dc.Get("datastore")?.Elements().Any(d => d.Value.Trim() == wanted) ?? false))
                ?? (datacenters.Count == 1 ? datacenters[0] : null);
            return match?.Text("name")
                ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"vCenter {_where} has no datacenter holding datastore {wanted ?? "(unknown)"}.");
        }
        finally
        {
            await DestroyViewAsync(view);
        }
    }
}
