using System.Text.Json.Nodes;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>
/// The estate every test starts from: one pool with one host, a running VM with a CBT-enabled disk, a CD drive,
/// a NIC and an earlier snapshot, and a halted VM whose disk has no CBT. Field names are XO's (@vates/types).
/// </summary>
public static class XoSeed
{
    public const string PoolId = "4f0c5e0a-6f1e-4a43-9f11-0d6a4c0b1a01";
    public const string HostId = "b7d2a9c4-3e8f-4f55-8c2b-6a1d9e0f2b02";
    public const string SrId = "c1e4f7a2-5b8d-4e19-a3c6-9f2b0d4e6c03";
    public const string NetworkId = "d9a3b6c1-2e5f-4a78-b0d4-7c1e3f5a8d04";
    public const string WebVmId = "0f5c7e2a-1b3d-4c6e-8f9a-2b4d6e8f0a11";
    public const string WebVdiId = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c12";
    public const string WebVbdId = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d13";
    public const string WebCdVbdId = "3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e14";
    public const string WebVifId = "4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f15";
    public const string WebMac = "7e:2c:11:5a:0b:91";
    public const string DbVmId = "5e6f7a8b-9c0d-4e1f-2a3b-4c5d6e7f8a21";
    public const string DbVdiId = "6f7a8b9c-0d1e-4f2a-3b4c-5d6e7f8a9b22";
    public const string DbVbdId = "7a8b9c0d-1e2f-4a3b-4c5d-6e7f8a9b0c23";
    public const string OldSnapshotId = "8b9c0d1e-2f3a-4b4c-5d6e-7f8a9b0c1d31";
    public const string OldSnapshotVbdId = "9c0d1e2f-3a4b-4c5d-6e7f-8a9b0c1d2e32";
    public const string OldSnapshotVdiId = "0d1e2f3a-4b5c-4d6e-7f8a-9b0c1d2e3f33";

    public const long WebDiskSize = 4L * 1024 * 1024;
    public const long DbDiskSize = 1L * 1024 * 1024;
    public const long OldSnapshotTime = 1_760_000_000;

    internal static (Dictionary<string, Dictionary<string, JsonObject>> Collections, Dictionary<string, byte[]> Disks) Build()
    {
        var c = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var name in new[] { "pools", "hosts", "srs", "networks", "vms", "vm-snapshots", "vm-templates", "vdis", "vdi-snapshots", "vbds", "vifs", "pifs" })
        {
            c[name] = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        Add(c, "pools", new() { ["id"] = PoolId, ["type"] = "pool", ["name_label"] = "Lab pool", ["master"] = HostId });
        Add(c, "hosts", new() { ["id"] = HostId, ["type"] = "host", ["name_label"] = "xcp-host-1", ["$pool"] = PoolId, ["power_state"] = "Running" });
        Add(c, "srs", new() { ["id"] = SrId, ["type"] = "SR", ["name_label"] = "Local storage", ["$pool"] = PoolId, ["SR_type"] = "ext" });
        Add(c, "networks", new() { ["id"] = NetworkId, ["type"] = "network", ["name_label"] = "Pool-wide network associated with eth0", ["$pool"] = PoolId, ["MTU"] = 1500 });

        Add(c, "vms", new()
        {
            ["id"] = WebVmId, ["type"] = "VM", ["name_label"] = "web-01", ["power_state"] = "Running",
            ["CPUs"] = new JsonObject { ["max"] = 4, ["number"] = 2 },
            ["memory"] = new JsonObject { ["dynamic"] = new JsonArray(2147483648, 4294967296), ["static"] = new JsonArray(1073741824, 4294967296), ["size"] = 4294967296 },
            ["$VBDs"] = new JsonArray(WebVbdId, WebCdVbdId), ["VIFs"] = new JsonArray(WebVifId),
            ["$container"] = HostId, ["$pool"] = PoolId, ["os_version"] = new JsonObject { ["name"] = "Debian GNU/Linux 12 (bookworm)", ["distro"] = "debian" },
            ["managementAgentDetected"] = true, ["boot"] = new JsonObject { ["firmware"] = "uefi" }, ["blockedOperations"] = new JsonObject(),
            ["snapshots"] = new JsonArray(OldSnapshotId), ["tags"] = new JsonArray(),
        });
        Add(c, "vbds", new() { ["id"] = WebVbdId, ["type"] = "VBD", ["VDI"] = WebVdiId, ["VM"] = WebVmId, ["device"] = "xvda", ["position"] = "0", ["is_cd_drive"] = false, ["attached"] = true });
        Add(c, "vbds", new() { ["id"] = WebCdVbdId, ["type"] = "VBD", ["VDI"] = null, ["VM"] = WebVmId, ["device"] = "xvdd", ["position"] = "3", ["is_cd_drive"] = true, ["attached"] = true });
        Add(c, "vdis", new()
        {
            ["id"] = WebVdiId, ["type"] = "VDI", ["name_label"] = "web-01 root", ["size"] = WebDiskSize, ["usage"] = 1572864, ["cbt_enabled"] = true,
            ["$SR"] = SrId, ["$VBDs"] = new JsonArray(WebVbdId), ["VDI_type"] = "user", ["snapshots"] = new JsonArray(OldSnapshotVdiId),
        });
        Add(c, "vifs", new() { ["id"] = WebVifId, ["type"] = "VIF", ["$VM"] = WebVmId, ["$network"] = NetworkId, ["MAC"] = WebMac, ["MTU"] = 1500, ["device"] = "0", ["attached"] = true });

        Add(c, "vm-snapshots", new()
        {
            ["id"] = OldSnapshotId, ["type"] = "VM-snapshot", ["name_label"] = "before-upgrade", ["snapshot_time"] = OldSnapshotTime,
            ["$snapshot_of"] = WebVmId, ["$VBDs"] = new JsonArray(OldSnapshotVbdId), ["power_state"] = "Halted", ["current_operations"] = new JsonObject(),
        });
        Add(c, "vbds", new() { ["id"] = OldSnapshotVbdId, ["type"] = "VBD", ["VDI"] = OldSnapshotVdiId, ["VM"] = OldSnapshotId, ["device"] = "xvda", ["position"] = "0", ["is_cd_drive"] = false, ["attached"] = false });
        Add(c, "vdi-snapshots", new()
        {
            ["id"] = OldSnapshotVdiId, ["type"] = "VDI-snapshot", ["name_label"] = "web-01 root", ["size"] = WebDiskSize, ["usage"] = 1048576, ["cbt_enabled"] = true,
            ["$SR"] = SrId, ["$snapshot_of"] = WebVdiId, ["$VBDs"] = new JsonArray(OldSnapshotVbdId), ["VDI_type"] = "user", ["snapshot_time"] = OldSnapshotTime,
        });

        Add(c, "vms", new()
        {
            ["id"] = DbVmId, ["type"] = "VM", ["name_label"] = "db-01", ["power_state"] = "Halted",
            ["CPUs"] = new JsonObject { ["max"] = 2, ["number"] = 1 },
            ["memory"] = new JsonObject { ["dynamic"] = new JsonArray(1073741824, 1073741824), ["static"] = new JsonArray(1073741824, 1073741824), ["size"] = 1073741824 },
            ["$VBDs"] = new JsonArray(DbVbdId), ["VIFs"] = new JsonArray(), ["$container"] = PoolId, ["$pool"] = PoolId,
            ["os_version"] = null, ["boot"] = new JsonObject { ["firmware"] = "bios" }, ["blockedOperations"] = new JsonObject(),
            ["snapshots"] = new JsonArray(), ["tags"] = new JsonArray(),
        });
        Add(c, "vbds", new() { ["id"] = DbVbdId, ["type"] = "VBD", ["VDI"] = DbVdiId, ["VM"] = DbVmId, ["device"] = "xvda", ["position"] = "0", ["is_cd_drive"] = false, ["attached"] = false });
        Add(c, "vdis", new()
        {
            ["id"] = DbVdiId, ["type"] = "VDI", ["name_label"] = "db-01 data", ["size"] = DbDiskSize, ["usage"] = DbDiskSize, ["cbt_enabled"] = false,
            ["$SR"] = SrId, ["$VBDs"] = new JsonArray(DbVbdId), ["VDI_type"] = "user", ["snapshots"] = new JsonArray(),
        });

        var disks = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [WebVdiId] = Pattern(WebDiskSize, 1),
            [OldSnapshotVdiId] = Pattern(WebDiskSize, 2),
            [DbVdiId] = Pattern(DbDiskSize, 3),
        };
        return (c, disks);
    }

    /// <summary>Deterministic bytes with a zero run in the middle, so holes and data both occur.</summary>
    public static byte[] Pattern(long size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        Array.Clear(bytes, (int)(size / 4), (int)(size / 8));
        return bytes;
    }

    private static void Add(Dictionary<string, Dictionary<string, JsonObject>> c, string collection, JsonObject item)
    {
        item["uuid"] = item["id"]!.GetValue<string>();
        c[collection][item["id"]!.GetValue<string>()] = item;
    }
}
