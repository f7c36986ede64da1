using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Web.Features.Operations;

/// <summary>
/// What provider staff watch across tenants: every environment's connection and sync health and the observations
/// running on it. Staff see all tenants through the tenant scope; nothing here names an address, user or secret.
/// </summary>
public sealed class OperationsService(PortalDbContext db, ITenantContext scope)
{
    public async Task<IReadOnlyList<EnvironmentOverviewRow>> EnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        if (!scope.CanSeeAllTenants)
        {
            throw new InvalidOperationException("The operations overview is for provider staff.");
        }

        var tenants = await db.Tenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var observing = await db.Assessments.AsNoTracking().Where(a => a.Status == AssessmentStatus.Observing)
            .GroupBy(a => a.EnvironmentId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var environments = await db.Environments.AsNoTracking().ToListAsync(cancellationToken);
        return environments
            .Select(e => new EnvironmentOverviewRow(tenants.GetValueOrDefault(e.TenantId, "?"), e.Name, e.Kind, e.Status, e.SyncState,
                e.LastSyncSucceededAt, e.LastSyncError ?? e.LastError, e.VmCount, observing.GetValueOrDefault(e.Id)))
            .OrderBy(r => r.Status == Domain.Environments.EnvironmentStatus.Failing ? 0 : 1)
            .ThenBy(r => r.TenantName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }
}
