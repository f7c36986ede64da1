using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Web.Infrastructure.FirstRun;

namespace ProviderPortal.Web.Infrastructure.Data;

/// <summary>
/// Runs before the scheduler and the web server start: migrates the database, creates Quartz's tables
/// on SQLite, and on an empty database creates the first accounts.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, DatabaseSettings settings, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem("startup");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        if (settings.IsSqlite)
        {
            // WAL lets the scheduler and the portal read while the other writes.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Database ready ({Provider}).", settings.Provider);

        if (settings.IsSqlite)
        {
            await CreateQuartzTablesAsync(cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<FirstRunSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateQuartzTablesAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(DatabaseInitializer).Assembly.GetManifestResourceStream("quartz_tables.sqlite.sql")
            ?? throw new InvalidOperationException("The Quartz tables script is missing from the build.");
        using var reader = new StreamReader(stream);
        var script = await reader.ReadToEndAsync(cancellationToken);

        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = script;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
