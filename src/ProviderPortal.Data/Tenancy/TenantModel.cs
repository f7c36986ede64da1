using Microsoft.EntityFrameworkCore.Metadata;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Tenancy;

/// <summary>
/// How the EF model marks tenant data: any entity with a TenantId property belongs to a tenant, and a
/// tenant's own row is keyed by its Id.
/// </summary>
public static class TenantModel
{
    /// <summary>The name of the global query filter every tenant-owned entity carries.</summary>
    public const string FilterName = "Tenant";

    public const string TenantIdProperty = "TenantId";

    public static IReadOnlyProperty? TenantProperty(IReadOnlyEntityType entityType) =>
        entityType.ClrType == typeof(Tenant)
            ? entityType.FindProperty(nameof(Tenant.Id))
            : entityType.FindProperty(TenantIdProperty);

    /// <summary>True for entities that always belong to a tenant (as opposed to rows that may be provider-wide).</summary>
    public static bool IsStrictlyOwned(IReadOnlyEntityType entityType) =>
        typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType);
}
