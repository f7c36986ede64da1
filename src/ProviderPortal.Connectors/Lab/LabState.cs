using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Lab;

/// <summary>The lab's state file (lab.json): every VM, disk, snapshot and change-tracking position.</summary>
internal sealed class LabState
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<LabVmState> Vms { get; set; } = [];
}

internal sealed class LabVmState
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public VmPowerState PowerState { get; set; }

    /// <summary>Set while a guest shutdown runs: the VM is off from this moment on.</summary>
    public DateTimeOffset? ShutdownDueAt { get; set; }

    /// <summary>How long the guest takes to shut down cleanly.</summary>
    public int ShutdownDelayMilliseconds { get; set; } = 300;

    public int CpuCount { get; set; }

    public string? CpuVendor { get; set; }

    public long MemoryBytes { get; set; }

    public string? GuestOs { get; set; }

    public GuestToolsState ToolsState { get; set; }

    public string Host { get; set; } = "lab-host-1";

    public string Cluster { get; set; } = "Lab";

    public bool ChangeTracking { get; set; }

    /// <summary>What the workload writes into the disks' hot regions while the VM runs.</summary>
    public long WorkloadBytesPerSecond { get; set; }

    public int NextSnapshotNumber { get; set; } = 1;

    public List<LabNicState> Nics { get; set; } = [];

    public List<LabDiskState> Disks { get; set; } = [];

    public List<LabSnapshotState> Snapshots { get; set; } = [];

    /// <summary>Running and not shutting down: the only state in which the guest writes.</summary>
    public bool IsRunning => PowerState == VmPowerState.PoweredOn && ShutdownDueAt is null;
}

internal sealed class LabNicState
{
    public string Key { get; set; } = "";

    public string Network { get; set; } = "lab-net";

    public string MacAddress { get; set; } = "";
}

internal sealed class LabDiskState
{
    public string Key { get; set; } = "";

    public string Label { get; set; } = "";

    public long CapacityBytes { get; set; }

    /// <summary>Relative to the lab root.</summary>
    public string FileName { get; set; } = "";

    public long HotOffset { get; set; }

    public long HotLength { get; set; }

    /// <summary>Changes this epoch's ids; a new epoch (tracking turned on again) invalidates every older id.</summary>
    public string? ChangeEpoch { get; set; }

    /// <summary>The sequence of the last closed change set (0: none closed since tracking was turned on).</summary>
    public long ChangeSequence { get; set; }

    /// <summary>The oldest closed change set still kept; older change ids answer ChangeTrackingReset.</summary>
    public long FirstRetainedSequence { get; set; } = 1;

    /// <summary>The 64 KiB blocks written since the last snapshot, one bit each (base64 in the file).</summary>
    public byte[]? CurrentChanges { get; set; }
}

internal sealed class LabSnapshotState
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public List<LabSnapshotDiskState> Disks { get; set; } = [];
}

internal sealed class LabSnapshotDiskState
{
    public string DiskKey { get; set; } = "";

    public string? ChangeId { get; set; }

    /// <summary>The frozen copy of the disk, relative to the lab root.</summary>
    public string FileName { get; set; } = "";
}
