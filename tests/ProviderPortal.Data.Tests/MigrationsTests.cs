using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.Tests;

public class MigrationsTests
{
    [Fact]
    public void HasPendingModelChanges_Sqlite_IsFalse()
    {
        using var context = new PortalDbContext(TestDatabase.SqliteOptions("Data Source=:memory:"), new TenantScope());

        Assert.False(context.Database.HasPendingModelChanges(), "The model changed: add a migration to ProviderPortal.Data.Sqlite.");
        Assert.NotEmpty(context.Database.GetMigrations());
    }

    [Fact]
    public void HasPendingModelChanges_SqlServer_IsFalse()
    {
        using var context = new PortalDbContext(TestDatabase.SqlServerOptions(), new TenantScope());

        Assert.False(context.Database.HasPendingModelChanges(), "The model changed: add a migration to ProviderPortal.Data.SqlServer.");
        Assert.NotEmpty(context.Database.GetMigrations());
    }
}
