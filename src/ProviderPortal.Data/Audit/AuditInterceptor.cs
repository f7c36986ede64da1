using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Domain.Email;

namespace ProviderPortal.Data.Audit;

/// <summary>
/// Records every state change as an <see cref="AuditEntry"/> in the same transaction as the change.
/// Secrets (hashes, stamps, tokens, keys) are named but their values are never written.
/// </summary>
public sealed class AuditInterceptor(ITenantContext actor, TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly string[] SecretNameParts = ["Password", "Stamp", "Token", "Secret", "Key", "Hash"];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && IsAudited(e))
            .Select(e => ToAuditEntry(e, now))
            .OfType<AuditEntry>()
            .ToList();
        context.AddRange(entries);
    }

    private static bool IsAudited(EntityEntry entry) =>
        entry.Entity is not (AuditEntry or OutboxMessage) && !entry.Metadata.IsOwned()
        && !Attribute.IsDefined(entry.Metadata.ClrType, typeof(NotAuditedAttribute));

    private static bool IsAudited(PropertyEntry property) =>
        property.Metadata.PropertyInfo is not { } info || !Attribute.IsDefined(info, typeof(NotAuditedAttribute));

    private AuditEntry? ToAuditEntry(EntityEntry entry, DateTimeOffset now)
    {
        var changes = new Dictionary<string, object?>();
        foreach (var property in entry.Properties)
        {
            if (!IsAudited(property))
            {
                continue;
            }

            var name = property.Metadata.Name;
            var secret = IsSecret(entry, name);
            switch (entry.State)
            {
                case EntityState.Added when property.CurrentValue is not null:
                    changes[name] = new { after = secret ? "(secret)" : property.CurrentValue };
                    break;
                case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                    changes[name] = secret
                        ? new { before = "(secret)", after = "(secret changed)" }
                        : new { before = property.OriginalValue, after = property.CurrentValue };
                    break;
                case EntityState.Deleted when property.Metadata.IsKey() || name is "Name" or "Email" or "UserName":
                    changes[name] = new { before = property.OriginalValue };
                    break;
            }
        }

        if (entry.State == EntityState.Modified && changes.Count == 0)
        {
            return null;
        }

        var tenantProperty = TenantModel.TenantProperty(entry.Metadata);
        var tenantId = tenantProperty is null ? null : (Guid?)entry.Property(tenantProperty.Name).CurrentValue;
        var key = string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));
        var action = entry.State switch
        {
            EntityState.Added => AuditAction.Created,
            EntityState.Deleted => AuditAction.Deleted,
            _ => AuditAction.Updated,
        };

        return AuditEntry.Record(
            tenantId == Guid.Empty ? null : tenantId,
            actor.ActorId,
            actor.ActorName,
            EntityName(entry),
            key,
            action,
            JsonSerializer.Serialize(changes),
            now);
    }

    private static bool IsSecret(EntityEntry entry, string propertyName) =>
        entry.Entity is IdentityUserToken<string> && propertyName == nameof(IdentityUserToken<string>.Value)
        || SecretNameParts.Any(part => propertyName.Contains(part, StringComparison.Ordinal));

    private static string EntityName(EntityEntry entry) => entry.Entity switch
    {
        PortalUser => "User",
        IdentityUserRole<string> => "UserRole",
        IdentityUserToken<string> => "UserToken",
        IdentityUserClaim<string> => "UserClaim",
        IdentityRole => "Role",
        _ => entry.Metadata.ClrType.Name,
    };
}
