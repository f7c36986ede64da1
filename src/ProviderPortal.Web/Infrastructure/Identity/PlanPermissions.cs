using System.Security.Claims;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// Who may do what to a migration plan, per role: the one rule. Members prepare; their organisation's administrators decide
/// what happens to the VMs; provider staff may step in on any plan (pause one that floods a link, cut one over). Each
/// action is a policy (<see cref="Policies.ForPlan"/>), the plan services check it, the plan page offers only what it
/// allows, and the README's table of it is tested against this one.
/// A tenant administrator's cutover also needs the plan's approved window to be open (<c>PlanRunService</c>): outside
/// it the window starts the cutover by itself, and only staff may start one at another time.
/// </summary>
public static class PlanPermissions
{
    public static IReadOnlyDictionary<PlanAction, IReadOnlyList<string>> Roles { get; } = new Dictionary<PlanAction, IReadOnlyList<string>>
    {
        [PlanAction.View] = [PortalRoles.ProviderAdmin, PortalRoles.ProviderOperator, PortalRoles.TenantAdmin, PortalRoles.TenantMember],
        [PlanAction.Prepare] = [PortalRoles.TenantAdmin, PortalRoles.TenantMember],
        [PlanAction.Start] = [PortalRoles.TenantAdmin],
        [PlanAction.Control] = [PortalRoles.ProviderAdmin, PortalRoles.ProviderOperator, PortalRoles.TenantAdmin],
        [PlanAction.Cutover] = [PortalRoles.ProviderAdmin, PortalRoles.ProviderOperator, PortalRoles.TenantAdmin],
        [PlanAction.Cancel] = [PortalRoles.ProviderAdmin, PortalRoles.TenantAdmin],
    };

    /// <summary>Whether <paramref name="user"/> may do <paramref name="action"/>; a tenant role counts only with its tenant claim.</summary>
    public static bool Allows(ClaimsPrincipal user, PlanAction action) =>
        Roles[action].Any(role => user.IsInRole(role) && (!PortalRoles.IsTenantRole(role) || TenantClaimRequirement.HasTenant(user)));

    /// <summary>The refusal a user reads: who may do it instead ("Only your organisation's administrators and the provider's staff can …").</summary>
    public static string Refusal(PlanAction action)
    {
        var roles = Roles[action];
        var who = new List<string>();
        if (roles.Contains(PortalRoles.TenantMember))
        {
            who.Add("your organisation's users");
        }
        else if (roles.Contains(PortalRoles.TenantAdmin))
        {
            who.Add("your organisation's administrators");
        }

        if (roles.Contains(PortalRoles.ProviderOperator))
        {
            who.Add("the provider's staff");
        }
        else if (roles.Contains(PortalRoles.ProviderAdmin))
        {
            who.Add("the provider's administrators");
        }

        return $"Only {string.Join(" and ", who)} can {Verb(action)}.";
    }

    private static string Verb(PlanAction action) => action switch
    {
        PlanAction.View => "see a plan",
        PlanAction.Prepare => "make and configure draft plans",
        PlanAction.Start => "start a plan's replication",
        PlanAction.Control => "pause, resume, throttle or sync a plan",
        PlanAction.Cutover => "start a cutover",
        PlanAction.Cancel => "cancel a plan",
        _ => action.ToString(),
    };
}
