using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// Reads an environment's stored inventory a page at a time, filtered and sorted in the database, so a page of
/// an estate with 10,000 VMs costs one indexed query and a count. The tenant filter applies to every query.
/// </summary>
public sealed class InventoryService(PortalDbContext db, ITenantContext tenant)
{
    public async Task<InventoryPageResult> QueryAsync(Guid environmentId, InventoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (tenant.TenantId is null)
        {
            throw new InvalidOperationException("Inventories belong to a tenant; this user has none.");
        }

        var vms = db.InventoryVms.AsNoTracking().Where(v => v.EnvironmentId == environmentId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = "%" + EscapeLike(query.Search.Trim()) + "%";
            vms = vms.Where(v => EF.Functions.Like(v.Name, pattern, "\\")
                || (v.GuestOs != null && EF.Functions.Like(v.GuestOs, pattern, "\\"))
                || (v.Host != null && EF.Functions.Like(v.Host, pattern, "\\")));
        }

        if (query.PowerState is { } power)
        {
            vms = vms.Where(v => v.PowerState == power);
        }

        if (query.ChangeTracking is { } tracking)
        {
            vms = vms.Where(v => v.ChangeTracking == tracking);
        }

        if (query.ToolsState is { } tools)
        {
            vms = vms.Where(v => v.ToolsState == tools);
        }

        if (query.HasSnapshots is { } snapshots)
        {
            vms = snapshots ? vms.Where(v => v.SnapshotCount > 0) : vms.Where(v => v.SnapshotCount == 0);
        }

        var total = await vms.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, InventoryQuery.MaxPageSize);
        var page = Math.Max(0, query.Page);
        var items = await Sort(vms, query.SortBy, query.Descending)
            .Skip(page * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new InventoryPageResult(items, total);
    }

    private static IQueryable<InventoryVm> Sort(IQueryable<InventoryVm> vms, InventorySort sort, bool descending)
    {
        var ordered = sort switch
        {
            InventorySort.PowerState => descending ? vms.OrderByDescending(v => v.PowerState) : vms.OrderBy(v => v.PowerState),
            InventorySort.CpuCount => descending ? vms.OrderByDescending(v => v.CpuCount) : vms.OrderBy(v => v.CpuCount),
            InventorySort.Memory => descending ? vms.OrderByDescending(v => v.MemoryBytes) : vms.OrderBy(v => v.MemoryBytes),
            InventorySort.Capacity => descending ? vms.OrderByDescending(v => v.CapacityBytes) : vms.OrderBy(v => v.CapacityBytes),
            InventorySort.Allocated => descending ? vms.OrderByDescending(v => v.AllocatedBytes) : vms.OrderBy(v => v.AllocatedBytes),
            InventorySort.DiskCount => descending ? vms.OrderByDescending(v => v.DiskCount) : vms.OrderBy(v => v.DiskCount),
            InventorySort.Snapshots => descending ? vms.OrderByDescending(v => v.SnapshotCount) : vms.OrderBy(v => v.SnapshotCount),
            InventorySort.GuestOs => descending ? vms.OrderByDescending(v => v.GuestOs) : vms.OrderBy(v => v.GuestOs),
            InventorySort.Host => descending ? vms.OrderByDescending(v => v.Host) : vms.OrderBy(v => v.Host),
            _ => descending ? vms.OrderByDescending(v => v.Name) : vms.OrderBy(v => v.Name),
        };

        // A stable order, so paging never shows a VM twice or skips one.
        return sort == InventorySort.Name ? ordered.ThenBy(v => v.Id) : ordered.ThenBy(v => v.Name).ThenBy(v => v.Id);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
