using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProviderPortal.Data.Concurrency;

/// <summary>
/// Optimistic concurrency for rows that two people (or a person and a job) may change at the same moment: a tenant
/// cancelling a window while staff approve it, the window clock starting a cutover the tenant just cancelled. Such a row
/// carries a <c>Version</c> column (a shadow property: the domain does not see it) that every save bumps and checks,
/// so the second writer gets a <see cref="DbUpdateConcurrencyException"/> instead of silently overwriting the first.
/// Long-lived contexts (a Blazor circuit's) must load such a row with <see cref="LoadFreshAsync{T}"/>: a plain query
/// would hand back the copy the context already tracks, however old.
/// </summary>
public static class RowVersion
{
    public const string PropertyName = "Version";

    public static void HasRowVersion<T>(this EntityTypeBuilder<T> builder) where T : class =>
        builder.Property<int>(PropertyName).IsConcurrencyToken();

    /// <summary>Bumps the version of every modified versioned row; called by the context before it saves.</summary>
    internal static void Bump(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty(PropertyName) is { IsConcurrencyToken: true })
            {
                var version = entry.Property(PropertyName);
                version.CurrentValue = (int)(version.OriginalValue ?? 0) + 1;
            }
        }
    }

    /// <summary>
    /// The rows as the database holds them now: any copy of type <typeparamref name="T"/> the context tracks is let go
    /// first (with any change not saved), so the query reads the row again instead of returning the tracked copy.
    /// </summary>
    public static async Task<T?> LoadFreshAsync<T>(this DbContext context, IQueryable<T> query, CancellationToken cancellationToken = default)
        where T : class
    {
        context.Forget<T>();
        return await query.SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Lets go of every row of type <typeparamref name="T"/> the context tracks, with any change not saved: the next query
    /// reads them as the database holds them, and a refused action's half-made changes are not saved by the next one.
    /// </summary>
    public static void Forget<T>(this DbContext context)
        where T : class
    {
        foreach (var entry in context.ChangeTracker.Entries<T>().ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>Lets go of every change the context holds but has not saved (after a refused save), keeping what it read.</summary>
    public static void DiscardPendingChanges(this DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
