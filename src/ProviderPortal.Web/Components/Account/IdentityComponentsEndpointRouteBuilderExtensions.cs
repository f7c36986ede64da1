using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ProviderPortal.Data;

namespace ProviderPortal.Web.Components.Account;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    /// <summary>The one endpoint the static Account pages need besides themselves: sign-out.</summary>
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<PortalUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            // Only a path inside the portal; any other return URL lands on the home page.
            var target = LocalUrls.IsLocalPath(returnUrl) ? "~" + returnUrl : "~/";
            return TypedResults.LocalRedirect(target);
        });

        return accountGroup;
    }
}
