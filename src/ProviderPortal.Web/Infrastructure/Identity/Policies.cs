using Microsoft.AspNetCore.Authorization;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>Every authorization policy of the portal, in one place.</summary>
public static class Policies
{
    /// <summary>Tenants, staff, capacity, catalogs.</summary>
    public const string ProviderAdmin = nameof(ProviderAdmin);

    /// <summary>Provider administrators and operators.</summary>
    public const string ProviderStaff = nameof(ProviderStaff);

    /// <summary>Any user of a tenant (administrator or member), with a tenant claim.</summary>
    public const string TenantUser = nameof(TenantUser);

    /// <summary>A tenant's administrators, with a tenant claim.</summary>
    public const string TenantAdmin = nameof(TenantAdmin);

    /// <summary>Who may read the audit log: provider administrators (all tenants) and tenant administrators (their own).</summary>
    public const string AuditReader = nameof(AuditReader);

    /// <summary>Who may open a plan's page: its tenant's users and provider staff (<see cref="PlanPermissions"/>).</summary>
    public const string PlanViewer = "Plan" + nameof(PlanAction.View);

    /// <summary>The policy of one plan action (<see cref="PlanPermissions"/>).</summary>
    public static string ForPlan(PlanAction action) => "Plan" + action;

    public static void Add(AuthorizationOptions options)
    {
        foreach (var action in PlanPermissions.Roles.Keys)
        {
            options.AddPolicy(ForPlan(action), p => p.RequireAssertion(context => PlanPermissions.Allows(context.User, action)));
        }

        options.AddPolicy(ProviderAdmin, p => p.RequireRole(PortalRoles.ProviderAdmin));
        options.AddPolicy(ProviderStaff, p => p.RequireRole(PortalRoles.ProviderAdmin, PortalRoles.ProviderOperator));
        options.AddPolicy(TenantUser, p => p
            .RequireRole(PortalRoles.TenantAdmin, PortalRoles.TenantMember)
            .AddRequirements(new TenantClaimRequirement()));
        options.AddPolicy(TenantAdmin, p => p
            .RequireRole(PortalRoles.TenantAdmin)
            .AddRequirements(new TenantClaimRequirement()));
        options.AddPolicy(AuditReader, p => p.RequireAssertion(context =>
            context.User.IsInRole(PortalRoles.ProviderAdmin)
            || (context.User.IsInRole(PortalRoles.TenantAdmin) && TenantClaimRequirement.HasTenant(context.User))));
    }
}

/// <summary>Refuses a tenant role without a tenant claim, rather than silently allowing it.</summary>
public sealed class TenantClaimRequirement : AuthorizationHandler<TenantClaimRequirement>, IAuthorizationRequirement
{
    public static bool HasTenant(System.Security.Claims.ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(TenantScope.TenantClaimType)?.Value, out var id) && id != Guid.Empty;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantClaimRequirement requirement)
    {
        if (HasTenant(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
