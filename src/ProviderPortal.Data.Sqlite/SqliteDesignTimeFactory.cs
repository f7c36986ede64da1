using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.Sqlite;

/// <summary>Lets dotnet-ef build the Sqlite model to add migrations; it never opens a connection.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=design-time.db", b => b.MigrationsAssembly(typeof(SqliteDesignTimeFactory).Assembly.GetName().Name)).Options, new TenantScope());
}
