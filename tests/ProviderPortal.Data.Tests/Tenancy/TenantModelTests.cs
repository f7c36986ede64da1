using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Domain.Email;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Tests.Tenancy;

public class TenantModelTests
{
    [Fact]
    public void Model_EveryTenantOwnedEntity_HasTheTenantFilter()
    {
        using var context = new PortalDbContext(TestDatabase.SqliteOptions("Data Source=:memory:"), new TenantScope());

        var owned = TenantOwnedTypes(context.Model);

        Assert.Superset(
            new HashSet<Type> { typeof(Tenant), typeof(Invitation), typeof(OutboxMessage), typeof(AuditEntry), typeof(PortalUser) },
            owned.ToHashSet());
        Assert.Empty(Unfiltered(context.Model));
    }

    [Fact]
    public void Model_EntityWithTenantIdButNoFilter_IsReportedAsUnfiltered()
    {
        // Proves the check above can fail: the same walk over a model with one unfiltered tenant entity.
        using var context = new ContextWithUnfilteredEntity(TestDatabase.SqliteOptions("Data Source=:memory:"));

        Assert.Equal([typeof(UnfilteredThing)], Unfiltered(context.Model));
    }

    [Fact]
    public void TenantProperty_TenantAndOwnedEntity_ReturnsIdAndTenantId()
    {
        using var context = new PortalDbContext(TestDatabase.SqliteOptions("Data Source=:memory:"), new TenantScope());

        Assert.Equal("Id", TenantModel.TenantProperty(context.Model.FindEntityType(typeof(Tenant))!)!.Name);
        Assert.Equal("TenantId", TenantModel.TenantProperty(context.Model.FindEntityType(typeof(Invitation))!)!.Name);
        Assert.True(TenantModel.IsStrictlyOwned(context.Model.FindEntityType(typeof(Invitation))!));
        Assert.False(TenantModel.IsStrictlyOwned(context.Model.FindEntityType(typeof(OutboxMessage))!));
    }

    private static List<Type> TenantOwnedTypes(IModel model) =>
        model.GetEntityTypes()
            .Where(e => e.ClrType == typeof(Tenant) || e.FindProperty(TenantModel.TenantIdProperty) is not null)
            .Select(e => e.ClrType)
            .ToList();

    private static List<Type> Unfiltered(IModel model) =>
        model.GetEntityTypes()
            .Where(e => e.ClrType == typeof(Tenant) || e.FindProperty(TenantModel.TenantIdProperty) is not null)
            .Where(e => e.GetRootType().FindDeclaredQueryFilter(TenantModel.FilterName) is null)
            .Select(e => e.ClrType)
            .ToList();

    public sealed class UnfilteredThing : ITenantOwned
    {
        public Guid Id { get; set; }

        public Guid TenantId { get; set; }
    }

    private sealed class ContextWithUnfilteredEntity(DbContextOptions<PortalDbContext> options)
        : PortalDbContext(options, new TenantScope())
    {
        protected override void OnModelCreating(ModelBuilder builder)
        {
            base.OnModelCreating(builder);
            builder.Entity<UnfilteredThing>();
        }
    }
}
