using System.Globalization;
using System.Xml.Linq;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.VMware;

/// <summary>Turns property collector values of VirtualMachine objects into the portal's records.</summary>
internal static class VmReader
{
    public static readonly string[] VmPaths =
    [
        "name", "runtime.powerState", "runtime.host", "config.hardware.numCPU", "config.hardware.memoryMB",
        "config.guestFullName", "guest.toolsRunningStatus", "guest.toolsStatus", "config.changeTrackingEnabled",
        "config.template", "config.hardware.device", "snapshot", "layoutEx",
    ];

    private static readonly HashSet<string> EthernetTypes =
    [
        "VirtualEthernetCard", "VirtualE1000", "VirtualE1000e", "VirtualPCNet32", "VirtualVmxnet", "VirtualVmxnet2",
        "VirtualVmxnet3", "VirtualVmxnet3Vrdma", "VirtualSriovEthernetCard",
    ];

    public static bool IsTemplate(VimObject vm) => string.Equals(vm.Text("config.template"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="portgroups"/> names distributed port groups by key: a NIC on a distributed switch names its
    /// port group only by key, a NIC on a standard switch names its network directly (backing deviceName).
    /// </summary>
    public static SourceVm ToSourceVm(VimObject vm, string? host, string? cluster, IReadOnlyList<SourceSnapshot> snapshots, IReadOnlyDictionary<string, string> portgroups)
    {
        var tracking = vm.Text("config.changeTrackingEnabled") switch
        {
            "true" => ChangeTrackingState.Enabled,
            "false" => ChangeTrackingState.Disabled,
            _ => ChangeTrackingState.Unknown,
        };
        var devices = Devices(vm.Get("config.hardware.device")).ToList();
        var allocated = AllocatedBytes(vm.Get("layoutEx"));
        return new SourceVm
        {
            Id = vm.Ref.Value,
            Name = vm.Text("name") ?? vm.Ref.Value,
            PowerState = vm.Text("runtime.powerState") switch
            {
                "poweredOn" => VmPowerState.PoweredOn,
                "poweredOff" => VmPowerState.PoweredOff,
                "suspended" => VmPowerState.Suspended,
                _ => VmPowerState.Unknown,
            },
            CpuCount = int.TryParse(vm.Text("config.hardware.numCPU"), CultureInfo.InvariantCulture, out var cpus) ? cpus : 0,
            MemoryBytes = long.TryParse(vm.Text("config.hardware.memoryMB"), CultureInfo.InvariantCulture, out var mb) ? mb * 1024 * 1024 : 0,
            GuestOs = vm.Text("config.guestFullName"),
            ToolsState = Tools(vm.Text("guest.toolsRunningStatus"), vm.Text("guest.toolsStatus")),
            Host = host,
            Cluster = cluster,
            Disks = [.. devices.Where(IsDisk).Select(d => ToDisk(d, tracking, allocated))],
            Nics = [.. devices.Where(IsNic).Select(nic => ToNic(nic, portgroups))],
            Snapshots = snapshots,
        };
    }

    public static IEnumerable<XElement> Devices(XElement? deviceArray) =>
        deviceArray?.Elements(Vim.Ns + "VirtualDevice") ?? [];

    public static bool IsDisk(XElement device) => Vim.TypeOf(device) == "VirtualDisk";

    public static XElement? FindDisk(XElement? deviceArray, string diskKey) =>
        Devices(deviceArray).FirstOrDefault(d => IsDisk(d) && Vim.Child(d, "key") == diskKey);

    public static long Capacity(XElement disk) =>
        Vim.Long(disk, "capacityInBytes") is { } bytes and > 0 ? bytes : (Vim.Long(disk, "capacityInKB") ?? 0) * 1024;

    /// <summary>The snapshot tree, depth first: (snapshot moref, name, createTime).</summary>
    public static IEnumerable<(string Id, string Name, DateTimeOffset? CreatedAt)> Snapshots(XElement? snapshotInfo)
    {
        if (snapshotInfo is null)
        {
            yield break;
        }

        var pending = new Stack<XElement>(snapshotInfo.Elements(Vim.Ns + "rootSnapshotList").Reverse());
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            var created = DateTimeOffset.TryParse(Vim.Child(node, "createTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
            yield return (Vim.Child(node, "snapshot") ?? "", Vim.Child(node, "name") ?? "", created);
            foreach (var child in node.Elements(Vim.Ns + "childSnapshotList").Reverse())
            {
                pending.Push(child);
            }
        }
    }

    public static IReadOnlyList<SnapshotDisk> SnapshotDisks(XElement? deviceArray) =>
        [.. Devices(deviceArray).Where(IsDisk).Select(d => new SnapshotDisk(Vim.Child(d, "key") ?? "", NullIfEmpty(Vim.Child(d.Element(Vim.Ns + "backing"), "changeId"))))];

    private static bool IsNic(XElement device) =>
        EthernetTypes.Contains(Vim.TypeOf(device) ?? "") || device.Element(Vim.Ns + "macAddress") is not null;

    private static SourceDisk ToDisk(XElement disk, ChangeTrackingState tracking, IReadOnlyDictionary<string, long> allocated)
    {
        var key = Vim.Child(disk, "key") ?? "";
        var backing = disk.Element(Vim.Ns + "backing");
        return new SourceDisk(
            key,
            Vim.Child(disk.Element(Vim.Ns + "deviceInfo"), "label") ?? $"Disk {key}",
            Capacity(disk),
            allocated.TryGetValue(key, out var bytes) ? bytes : null,
            tracking,
            Vim.Child(backing, "fileName"),
            Independent: Vim.Child(backing, "diskMode")?.StartsWith("independent", StringComparison.Ordinal) == true,
            RawMapped: backing is not null && Vim.TypeOf(backing) == "VirtualDiskRawDiskMappingVer1BackingInfo");
    }

    /// <summary>The distributed port group keys the VMs' NICs use.</summary>
    public static bool UsesDistributedPortgroups(IEnumerable<VimObject> vms) =>
        vms.Any(vm => Devices(vm.Get("config.hardware.device")).Any(d => PortgroupKey(d) is not null));

    private static SourceNic ToNic(XElement nic, IReadOnlyDictionary<string, string> portgroups)
    {
        var network = NullIfEmpty(Vim.Child(nic.Element(Vim.Ns + "backing"), "deviceName"))
            ?? (PortgroupKey(nic) is { } key ? portgroups.GetValueOrDefault(key, key) : null);
        return new(Vim.Child(nic, "key") ?? "", network, NullIfEmpty(Vim.Child(nic, "macAddress")));
    }

    private static string? PortgroupKey(XElement device) =>
        NullIfEmpty(Vim.Child(device.Element(Vim.Ns + "backing")?.Element(Vim.Ns + "port"), "portgroupKey"));

    private static GuestToolsState Tools(string? running, string? status) => (running, status) switch
    {
        (_, "toolsNotInstalled") => GuestToolsState.NotInstalled,
        ("guestToolsRunning" or "guestToolsExecutingScripts", "toolsOld") => GuestToolsState.Outdated,
        ("guestToolsRunning" or "guestToolsExecutingScripts", _) => GuestToolsState.Running,
        ("guestToolsNotRunning", _) or (_, "toolsNotRunning") => GuestToolsState.NotRunning,
        _ => GuestToolsState.Unknown,
    };

    /// <summary>
    /// Bytes on the datastore per disk key: the sizes of the files of each disk's chain (layoutEx.disk → file keys →
    /// layoutEx.file sizes). Files shared by several disks count for each.
    /// </summary>
    private static Dictionary<string, long> AllocatedBytes(XElement? layout)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (layout is null)
        {
            return result;
        }

        var sizes = layout.Elements(Vim.Ns + "file")
            .Where(f => Vim.Child(f, "key") is not null)
            .GroupBy(f => Vim.Child(f, "key")!)
            .ToDictionary(g => g.Key, g => Vim.Long(g.First(), "size") ?? 0);
        foreach (var disk in layout.Elements(Vim.Ns + "disk"))
        {
            var key = Vim.Child(disk, "key");
            var files = disk.Elements(Vim.Ns + "chain").SelectMany(c => c.Elements(Vim.Ns + "fileKey")).Select(k => k.Value).Distinct().ToList();
            if (key is not null && files.Count > 0)
            {
                result[key] = files.Sum(f => sizes.GetValueOrDefault(f));
            }
        }

        return result;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
