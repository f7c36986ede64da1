using System.Security.Claims;
using ProviderPortal.Domain;

namespace ProviderPortal.Data.Tenancy;

/// <summary>
/// The scoped tenant context. It starts closed (no tenant, nothing visible) and is opened either from
/// the signed-in principal (web requests and Blazor circuits) or explicitly by a job.
/// </summary>
public sealed class TenantScope : ITenantContext
{
    public const string TenantClaimType = "portal:tenant";

    public Guid? TenantId { get; private set; }

    public bool CanSeeAllTenants { get; private set; }

    public string? ActorId { get; private set; }

    public string ActorName { get; private set; } = "anonymous";

    /// <summary>Opens the scope for a signed-in user: staff see all tenants, tenant users their own.</summary>
    public void UsePrincipal(ClaimsPrincipal principal)
    {
        Reset();
        if (principal.Identity?.IsAuthenticated != true)
        {
            return;
        }

        ActorId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        ActorName = principal.Identity.Name ?? ActorId ?? "unknown";
        if (principal.IsInRole(PortalRoles.ProviderAdmin) || principal.IsInRole(PortalRoles.ProviderOperator))
        {
            CanSeeAllTenants = true;
        }
        else if (Guid.TryParse(principal.FindFirstValue(TenantClaimType), out var tenantId))
        {
            TenantId = tenantId;
        }
    }

    /// <summary>For jobs and start-up work that act across tenants.</summary>
    public void UseSystem(string actorName = "system")
    {
        Reset();
        CanSeeAllTenants = true;
        ActorName = actorName;
    }

    /// <summary>For jobs that act for one tenant, and for an invitation being accepted.</summary>
    public void UseTenant(Guid tenantId, string actorName = "system", string? actorId = null)
    {
        Reset();
        TenantId = tenantId;
        ActorName = actorName;
        ActorId = actorId;
    }

    private void Reset()
    {
        TenantId = null;
        CanSeeAllTenants = false;
        ActorId = null;
        ActorName = "anonymous";
    }
}
