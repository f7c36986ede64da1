namespace ProviderPortal.Domain.Audit;

/// <summary>One recorded state change: who, in which tenant, what, when, and a before/after summary.</summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The tenant the changed row belongs to; null for provider-wide rows.</summary>
    public Guid? TenantId { get; private set; }

    public string? UserId { get; private set; }

    public string UserName { get; private set; } = "";

    public string EntityType { get; private set; } = "";

    public string EntityId { get; private set; } = "";

    public AuditAction Action { get; private set; }

    /// <summary>JSON: for each changed property, its value before and after. Secrets are never included.</summary>
    public string Changes { get; private set; } = "";

    public DateTimeOffset At { get; private set; }

    public static AuditEntry Record(Guid? tenantId, string? userId, string userName, string entityType, string entityId, AuditAction action, string changes, DateTimeOffset at) =>
        new()
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            UserId = userId,
            UserName = userName,
            EntityType = entityType,
            EntityId = entityId,
            Action = action,
            Changes = changes,
            At = at,
        };
}
