using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.Tests;

/// <summary>The scripts under db/ that deployments run by hand.</summary>
public class DatabaseScriptsTests
{
    [Fact]
    public void PortalScript_SqlServer_MatchesTheMigrations()
    {
        using var context = new PortalDbContext(TestDatabase.SqlServerOptions(), new TenantScope());
        var generated = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        AssertScriptIsCurrent(
            "sqlserver",
            generated,
            "dotnet tool run dotnet-ef migrations script --idempotent --project src/ProviderPortal.Data.SqlServer --startup-project src/ProviderPortal.Data.SqlServer -o db/sqlserver/portal.sql");
    }

    [Fact]
    public void PortalScript_Sqlite_MatchesTheMigrations()
    {
        // EF cannot make an idempotent SQLite script; this one is for a new, empty database.
        using var context = new PortalDbContext(TestDatabase.SqliteOptions("Data Source=:memory:"), new TenantScope());
        var generated = context.GetService<IMigrator>().GenerateScript();

        AssertScriptIsCurrent(
            "sqlite",
            generated,
            "dotnet tool run dotnet-ef migrations script --project src/ProviderPortal.Data.Sqlite --startup-project src/ProviderPortal.Data.Sqlite -o db/sqlite/portal.sql");
    }

    public static TheoryData<string> SqlServerScripts() => ScriptsIn("sqlserver");

    [Theory]
    [MemberData(nameof(SqlServerScripts))]
    public void Parse_SqlServerScript_HasNoErrors(string fileName)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StreamReader(ScriptPath("sqlserver", fileName));

        var fragment = parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{fileName}({e.Line},{e.Column}): {e.Message}")));
        Assert.NotEmpty(Assert.IsType<TSqlScript>(fragment).Batches);
    }

    [Fact]
    public void SqlServerScripts_Folder_HoldsPortalAndQuartzScripts()
    {
        Assert.Equal(["portal.sql", "quartz_tables.sql"], ScriptNames("sqlserver"));
    }

    [Fact]
    public void Run_SqliteScriptsOnEmptyDatabase_CreatesPortalAndQuartzTables()
    {
        var folder = Directory.CreateTempSubdirectory("portal-scripts-").FullName;
        try
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "scripts.db")};Pooling=False"))
            {
                connection.Open();

                Execute(connection, File.ReadAllText(ScriptPath("sqlite", "portal.sql")));
                Execute(connection, File.ReadAllText(ScriptPath("sqlite", "quartz_tables.sql")));
                Execute(connection, File.ReadAllText(ScriptPath("sqlite", "quartz_tables.sql")));

                var tables = Tables(connection);
                Assert.Superset(
                    new HashSet<string>(["Tenants", "Invitations", "OutboxMessages", "AuditEntries", "AspNetUsers", "__EFMigrationsHistory", "QRTZ_JOB_DETAILS", "QRTZ_TRIGGERS", "QRTZ_LOCKS"]),
                    tables);
            }

            // A database made by the script is one the migrator considers up to date.
            var scope = new TenantScope();
            using var context = new PortalDbContext(TestDatabase.SqliteOptions($"Data Source={Path.Combine(folder, "scripts.db")};Pooling=False"), scope);
            Assert.Empty(context.Database.GetPendingMigrations());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SqliteScripts_Folder_HoldsPortalAndQuartzScripts()
    {
        Assert.Equal(["portal.sql", "quartz_tables.sql"], ScriptNames("sqlite"));
    }

    private static void AssertScriptIsCurrent(string provider, string generated, string regenerate)
    {
        var committed = File.ReadAllText(ScriptPath(provider, "portal.sql"));

        Assert.True(
            Normalize(committed) == Normalize(generated),
            $"db/{provider}/portal.sql is not the script of the current migrations. Regenerate it from the repository root: {regenerate}");
    }

    private static string Normalize(string script) => script.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static TheoryData<string> ScriptsIn(string provider) => new(ScriptNames(provider));

    private static List<string> ScriptNames(string provider) =>
        Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "db", provider), "*.sql")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string ScriptPath(string provider, string fileName) => Path.Combine(RepositoryRoot.Path, "db", provider, fileName);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static HashSet<string> Tables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = command.ExecuteReader();
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
