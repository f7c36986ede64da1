using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Data.Tests.Configurations;

/// <summary>
/// Every plain text column of the portal's own entities has a maximum length, matched by a limit the domain enforces with
/// a message: SQLite stores any length, SQL Server refuses (a 500) what its column cannot hold.
/// </summary>
public class ColumnLengthTests
{
    /// <summary>Text no user types into a form: written whole by the portal (the audit's before/after, the emails it sends).</summary>
    private static readonly string[] WrittenByThePortal =
        ["AuditEntry.Changes", "OutboxMessage.AttachmentText", "OutboxMessage.HtmlBody", "OutboxMessage.TextBody"];

    [Fact]
    public void Model_EveryPlainStringColumn_HasAMaxLength()
    {
        using var context = new PortalDbContext(TestDatabase.SqliteOptions("Data Source=:memory:"), new TenantScope());

        Assert.Empty(Unbounded(context.Model).Except(WrittenByThePortal));
    }

    [Fact]
    public void Model_StringColumnWithoutAMaxLength_IsReported()
    {
        // Proves the check above can fail: the same walk over a model with one unbounded column.
        using var context = new ContextWithUnboundedColumn(TestDatabase.SqliteOptions("Data Source=:memory:"));

        Assert.Equal(["Note.Text"], Unbounded(context.Model).Except(WrittenByThePortal));
    }

    /// <summary>
    /// Plain string columns without a maximum length, as "Entity.Property". Not walked: ASP.NET Core Identity's own columns
    /// (keys, hashes, stamps, tokens: the template's schema), JSON documents (their parts are checked by the domain), and
    /// columns with a converter (enums, JSON values).
    /// </summary>
    private static List<string> Unbounded(IModel model) =>
        model.GetEntityTypes()
            .Where(e => !e.IsMappedToJson())
            .SelectMany(e => e.GetDeclaredProperties().Select(p => (Entity: e, Property: p)))
            .Where(x => x.Property.ClrType == typeof(string) && x.Property.GetValueConverter() is null && x.Property.GetMaxLength() is null)
            .Where(x => x.Property.PropertyInfo?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) != true
                && x.Entity.ClrType.Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) != true)
            .Select(x => $"{x.Entity.ClrType.Name}.{x.Property.Name}")
            .Order(StringComparer.Ordinal)
            .ToList();

    public sealed class Note
    {
        public Guid Id { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class ContextWithUnboundedColumn(DbContextOptions<PortalDbContext> options)
        : PortalDbContext(options, new TenantScope())
    {
        protected override void OnModelCreating(ModelBuilder builder)
        {
            base.OnModelCreating(builder);
            builder.Entity<Note>();
        }
    }
}
