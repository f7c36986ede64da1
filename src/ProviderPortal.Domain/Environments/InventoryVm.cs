using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Domain.Environments;

/// <summary>
/// A VM of an environment as the last inventory sync saw it. The columns are what the inventory page
/// searches, filters and sorts on; disks, NICs and snapshots are kept whole beside them.
/// </summary>
[NotAudited]
public sealed class InventoryVm : ITenantOwned
{
    public const int MaxNameLength = 200;

    private InventoryVm()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EnvironmentId { get; private set; }

    /// <summary>The platform's id (moref, uuid).</summary>
    public string ExternalId { get; private set; } = "";

    public string Name { get; private set; } = "";

    public VmPowerState PowerState { get; private set; }

    public int CpuCount { get; private set; }

    public string? CpuVendor { get; private set; }

    public long MemoryBytes { get; private set; }

    public string? GuestOs { get; private set; }

    public GuestToolsState ToolsState { get; private set; }

    public string? Host { get; private set; }

    public string? Cluster { get; private set; }

    public int DiskCount { get; private set; }

    public long CapacityBytes { get; private set; }

    /// <summary>Sum over the disks that report it; null when none does.</summary>
    public long? AllocatedBytes { get; private set; }

    /// <summary>Enabled only when every disk tracks changes; Disabled when any does not.</summary>
    public ChangeTrackingState ChangeTracking { get; private set; }

    public int SnapshotCount { get; private set; }

    public DateTimeOffset SyncedAt { get; private set; }

    public List<InventoryDisk> Disks { get; private set; } = [];

    public List<InventoryNic> Nics { get; private set; } = [];

    public List<InventorySnapshot> Snapshots { get; private set; } = [];

    public static InventoryVm Create(Guid environmentId, SourceVm source, DateTimeOffset now)
    {
        var vm = new InventoryVm { Id = Guid.NewGuid(), EnvironmentId = environmentId, ExternalId = source.Id };
        vm.Update(source, now);
        return vm;
    }

    /// <summary>Takes the platform's current view; returns false when nothing but the sync time changed.</summary>
    public bool Update(SourceVm source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Id != ExternalId)
        {
            throw new DomainException($"VM {source.Id} cannot update the inventory row of VM {ExternalId}.");
        }

        var disks = source.Disks.Select(d => new InventoryDisk(d.Key, d.Label, d.CapacityBytes, d.AllocatedBytes, d.ChangeTracking, d.Path, d.Independent, d.RawMapped)).ToList();
        var nics = source.Nics.Select(n => new InventoryNic(n.Key, n.Network, n.MacAddress)).ToList();
        var snapshots = source.Snapshots.Select(s => new InventorySnapshot(s.Id, s.Name, s.CreatedAt)).ToList();
        var name = source.Name.Length <= MaxNameLength ? source.Name : source.Name[..MaxNameLength];
        var changed = Name != name || PowerState != source.PowerState || CpuCount != source.CpuCount || CpuVendor != source.CpuVendor
            || MemoryBytes != source.MemoryBytes || GuestOs != source.GuestOs || ToolsState != source.ToolsState
            || Host != source.Host || Cluster != source.Cluster
            || !Disks.SequenceEqual(disks) || !Nics.SequenceEqual(nics) || !Snapshots.SequenceEqual(snapshots);

        Name = name;
        PowerState = source.PowerState;
        CpuCount = source.CpuCount;
        CpuVendor = source.CpuVendor;
        MemoryBytes = source.MemoryBytes;
        GuestOs = source.GuestOs;
        ToolsState = source.ToolsState;
        Host = source.Host;
        Cluster = source.Cluster;
        SyncedAt = now;
        if (changed)
        {
            Disks = disks;
            Nics = nics;
            Snapshots = snapshots;
            DiskCount = disks.Count;
            CapacityBytes = disks.Sum(d => d.CapacityBytes);
            AllocatedBytes = disks.Any(d => d.AllocatedBytes is not null) ? disks.Sum(d => d.AllocatedBytes ?? 0) : null;
            ChangeTracking = disks.Count == 0 ? ChangeTrackingState.Unknown
                : disks.All(d => d.ChangeTracking == ChangeTrackingState.Enabled) ? ChangeTrackingState.Enabled
                : disks.Any(d => d.ChangeTracking == ChangeTrackingState.NotSupported) ? ChangeTrackingState.NotSupported
                : disks.Any(d => d.ChangeTracking == ChangeTrackingState.Disabled) ? ChangeTrackingState.Disabled
                : ChangeTrackingState.Unknown;
            SnapshotCount = snapshots.Count;
        }

        return changed;
    }
}

public sealed record InventoryDisk(string Key, string Label, long CapacityBytes, long? AllocatedBytes, ChangeTrackingState ChangeTracking, string? Path, bool Independent = false, bool RawMapped = false);

public sealed record InventoryNic(string Key, string? Network, string? MacAddress);

public sealed record InventorySnapshot(string Id, string Name, DateTimeOffset? CreatedAt);
