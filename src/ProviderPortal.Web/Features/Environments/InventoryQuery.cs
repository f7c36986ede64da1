using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>One page of an environment's inventory: search text, filters, sort and paging.</summary>
public sealed record InventoryQuery
{
    public const int MaxPageSize = 200;

    /// <summary>Matches anywhere in the VM's name, guest OS or host, ignoring case.</summary>
    public string? Search { get; init; }

    public VmPowerState? PowerState { get; init; }

    public ChangeTrackingState? ChangeTracking { get; init; }

    public GuestToolsState? ToolsState { get; init; }

    /// <summary>Only VMs that have snapshots (true), or none (false).</summary>
    public bool? HasSnapshots { get; init; }

    public InventorySort SortBy { get; init; } = InventorySort.Name;

    public bool Descending { get; init; }

    /// <summary>Zero-based.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}
