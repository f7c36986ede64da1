using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.SqlServer;

/// <summary>Lets dotnet-ef build the SqlServer model to add migrations; it never opens a connection.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlServer("Server=localhost;Database=ProviderPortal;Trusted_Connection=True;TrustServerCertificate=True", b => b.MigrationsAssembly(typeof(SqlServerDesignTimeFactory).Assembly.GetName().Name)).Options, new TenantScope());
}
