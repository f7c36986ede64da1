using Microsoft.EntityFrameworkCore;

namespace ProviderPortal.Web.Infrastructure.Data;

/// <summary>Database:Provider (Sqlite by default, or SqlServer) and its connection string.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static DatabaseSettings From(IConfiguration configuration)
    {
        var configured = configuration["Database:ConnectionString"];
        var providerName = configuration["Database:Provider"];
        if (!Enum.TryParse<DatabaseProvider>(string.IsNullOrWhiteSpace(providerName) ? nameof(DatabaseProvider.Sqlite) : providerName, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException($"Database:Provider \"{providerName}\" is not known; use Sqlite or SqlServer.");
        }

        if (provider == DatabaseProvider.SqlServer && string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException("Database:ConnectionString must be set when Database:Provider is SqlServer.");
        }

        var connectionString = string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(PortalSettings.DataDirectory(configuration), "portal.db")}"
            : configured;
        return new DatabaseSettings(provider, connectionString);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsSqlite)
        {
            options.UseSqlite(ConnectionString, b => b.MigrationsAssembly("ProviderPortal.Data.Sqlite"));
        }
        else
        {
            options.UseSqlServer(ConnectionString, b => b.MigrationsAssembly("ProviderPortal.Data.SqlServer").EnableRetryOnFailure());
        }
    }
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
