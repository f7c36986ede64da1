using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data.Audit;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.Tests;

/// <summary>
/// The shared setup of the data tests: a migrated SQLite file in a temporary folder, and contexts wired
/// as the portal wires them (tenant stamp, then audit).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("portal-data-tests-").FullName;

    public TestDatabase()
    {
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "portal.db"), Pooling = false }.ToString();
        using var context = CreateContext(System());
        context.Database.Migrate();
    }

    public string ConnectionString { get; }

    public static TenantScope System()
    {
        var scope = new TenantScope();
        scope.UseSystem();
        return scope;
    }

    public static TenantScope ForTenant(Guid tenantId, string actorName = "system", string? actorId = null)
    {
        var scope = new TenantScope();
        scope.UseTenant(tenantId, actorName, actorId);
        return scope;
    }

    public static DbContextOptions<PortalDbContext> SqliteOptions(string connectionString) =>
        new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(connectionString, b => b.MigrationsAssembly("ProviderPortal.Data.Sqlite"))
            .Options;

    public static DbContextOptions<PortalDbContext> SqlServerOptions() =>
        new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlServer("Server=unused.invalid;Database=Unused;TrustServerCertificate=True", b => b.MigrationsAssembly("ProviderPortal.Data.SqlServer"))
            .Options;

    public PortalDbContext CreateContext(TenantScope scope) =>
        new(
            new DbContextOptionsBuilder<PortalDbContext>(SqliteOptions(ConnectionString))
                .AddInterceptors(new TenantStampInterceptor(scope), new AuditInterceptor(scope, new FixedClock(Now)))
                .Options,
            scope);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
