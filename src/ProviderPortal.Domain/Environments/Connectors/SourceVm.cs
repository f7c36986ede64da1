namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>A VM as the platform reports it. Null means the platform did not say.</summary>
public sealed record SourceVm
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public VmPowerState PowerState { get; init; }

    public int CpuCount { get; init; }

    /// <summary>"Intel", "AMD" or null when the platform does not tell.</summary>
    public string? CpuVendor { get; init; }

    public long MemoryBytes { get; init; }

    public string? GuestOs { get; init; }

    public GuestToolsState ToolsState { get; init; }

    public string? Host { get; init; }

    public string? Cluster { get; init; }

    public IReadOnlyList<SourceDisk> Disks { get; init; } = [];

    public IReadOnlyList<SourceNic> Nics { get; init; } = [];

    public IReadOnlyList<SourceSnapshot> Snapshots { get; init; } = [];
}
