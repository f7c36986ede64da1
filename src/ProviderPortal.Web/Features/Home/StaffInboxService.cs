using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Home;

/// <summary>Reads the staff's inbox (<see cref="StaffInbox"/>) for their home page; anyone else gets nothing.</summary>
public sealed class StaffInboxService(PortalDbContext db, ITenantContext scope, UserPermissions permissions)
{
    public async Task<StaffInbox?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!scope.CanSeeAllTenants || !await permissions.AllowsAsync(Policies.ProviderStaff))
        {
            return null;
        }

        var requests = await db.MaintenanceWindows.AsNoTracking().Where(w => w.Status == MaintenanceWindowStatus.Requested)
            .Select(w => w.StartsAt).ToListAsync(cancellationToken);
        var orders = await db.SeedDeviceOrders.AsNoTracking()
            .GroupBy(o => o.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new StaffInbox(
            requests.Count,
            requests.Count == 0 ? null : requests.Min(),
            orders.GetValueOrDefault(SeedDeviceOrderStatus.Requested),
            orders.GetValueOrDefault(SeedDeviceOrderStatus.Approved),
            orders.GetValueOrDefault(SeedDeviceOrderStatus.ReturnShipped),
            orders.GetValueOrDefault(SeedDeviceOrderStatus.Received),
            orders.GetValueOrDefault(SeedDeviceOrderStatus.Ingested));
    }
}
