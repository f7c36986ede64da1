using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Features;

/// <summary>The signed-in user's tenant name and time zone, for the app bar and for showing times.</summary>
public sealed class CurrentTenantInfo(PortalDbContext db, ITenantContext tenant)
{
    private (string Name, TimeZoneInfo Zone)? _loaded;

    public async Task<string?> NameAsync() => tenant.TenantId is null ? null : (await LoadAsync())?.Name;

    /// <summary>The tenant's time zone for tenant users; UTC for staff.</summary>
    public async Task<TimeZoneInfo> TimeZoneAsync() => tenant.TenantId is null ? TimeZoneInfo.Utc : (await LoadAsync())?.Zone ?? TimeZoneInfo.Utc;

    private async Task<(string Name, TimeZoneInfo Zone)?> LoadAsync()
    {
        if (_loaded is null && tenant.TenantId is { } id)
        {
            var row = await db.Tenants.Where(t => t.Id == id).Select(t => new { t.Name, t.TimeZoneId }).SingleOrDefaultAsync();
            if (row is not null)
            {
                _loaded = (row.Name, TimeZoneInfo.TryFindSystemTimeZoneById(row.TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc);
            }
        }

        return _loaded;
    }
}
