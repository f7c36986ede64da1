using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ProviderPortal.Domain.Audit;

namespace ProviderPortal.Data.Tenancy;

/// <summary>
/// Stamps the tenant on new tenant-owned rows and refuses any write that would cross tenants.
/// The query filters keep other tenants' rows out of reads; this keeps them out of writes.
/// </summary>
public sealed class TenantStampInterceptor(ITenantContext tenant) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Check(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached || entry.Entity is AuditEntry)
            {
                continue;
            }

            var property = TenantModel.TenantProperty(entry.Metadata);
            if (property is null)
            {
                continue;
            }

            CheckEntry(entry, entry.Property(property.Name), TenantModel.IsStrictlyOwned(entry.Metadata));
        }
    }

    private void CheckEntry(EntityEntry entry, PropertyEntry tenantProperty, bool strictlyOwned)
    {
        var current = (Guid?)tenantProperty.CurrentValue;
        var original = entry.State == EntityState.Added ? current : (Guid?)tenantProperty.OriginalValue;
        var name = entry.Metadata.ClrType.Name;

        if (tenant.TenantId is { } own)
        {
            if (entry.State == EntityState.Added && (current is null || current == Guid.Empty) && strictlyOwned)
            {
                tenantProperty.CurrentValue = own;
                return;
            }

            if (original != own || current != own)
            {
                throw new TenantIsolationException($"A {name} of another tenant cannot be changed from this tenant.");
            }

            return;
        }

        if (tenant.CanSeeAllTenants)
        {
            if (strictlyOwned && (current is null || current == Guid.Empty))
            {
                throw new TenantIsolationException($"A new {name} must name its tenant.");
            }

            return;
        }

        // Outside any tenant scope (before sign-in): only account rows of the Identity flows may change,
        // and never so that they move between tenants.
        if (strictlyOwned || entry.Entity is not PortalUser || original != current)
        {
            throw new TenantIsolationException($"A {name} cannot be changed outside a tenant scope.");
        }
    }
}
