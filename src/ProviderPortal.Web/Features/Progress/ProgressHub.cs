using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// The browsers' hub for live progress, signed in with the portal's cookie. Hub calls do not pass through the portal's
/// tenancy middleware, so every method opens the tenant scope from the connection's user first: the data layer's filter
/// then decides what exists. A plan's group is joined only after its plan was found in that scope.
/// What it sends is in <see cref="ProgressMessages"/>; <see cref="ProgressPublisher"/> sends it.
/// </summary>
// Only the portal's sign-in cookie (IdentityConstants.ApplicationScheme), never a worker token.
[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class ProgressHub(TenantScope scope, ProgressService progress) : Hub
{
    public const string Path = "/hubs/progress";

    /// <summary>Joins the plan's group and returns its snapshot; another tenant's plan "does not exist".</summary>
    public async Task<PlanProgressSnapshot> WatchPlan(Guid planId)
    {
        scope.UsePrincipal(Context.User!);
        var snapshot = await progress.PlanAsync(planId, Context.ConnectionAborted) ?? throw new HubException("That plan does not exist.");
        await Groups.AddToGroupAsync(Context.ConnectionId, ProgressMessages.PlanGroup(planId), Context.ConnectionAborted);
        return snapshot;
    }

    public Task UnwatchPlan(Guid planId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, ProgressMessages.PlanGroup(planId));

    /// <summary>Provider staff only: every tenant's copies (slim summaries) and plan changes.</summary>
    public async Task WatchOperations()
    {
        var user = Context.User!;
        if (!user.IsInRole(PortalRoles.ProviderAdmin) && !user.IsInRole(PortalRoles.ProviderOperator))
        {
            throw new HubException("Only provider staff can watch every tenant's replication.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, ProgressMessages.OperationsGroup, Context.ConnectionAborted);
    }

    public Task UnwatchOperations() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, ProgressMessages.OperationsGroup);
}
