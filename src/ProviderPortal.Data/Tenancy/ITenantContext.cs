namespace ProviderPortal.Data.Tenancy;

/// <summary>
/// Whose data the current unit of work may see and change. The query filters and the save interceptor
/// read it; nothing else decides tenant access.
/// </summary>
public interface ITenantContext
{
    /// <summary>The tenant of the current user or job; null when there is none.</summary>
    Guid? TenantId { get; }

    /// <summary>True for provider staff and for system jobs that have explicitly entered the all-tenants scope.</summary>
    bool CanSeeAllTenants { get; }

    /// <summary>Who acts, for the audit log: a user id, or null for the system.</summary>
    string? ActorId { get; }

    /// <summary>A readable name of who acts ("system" for jobs, "anonymous" before sign-in).</summary>
    string ActorName { get; }
}
