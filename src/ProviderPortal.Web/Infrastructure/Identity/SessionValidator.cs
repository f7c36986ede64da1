using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using ProviderPortal.Data;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// The one check of a signed-in session that outlives its request, shared by open pages (circuits) and hub connections:
/// the account still exists with the same security stamp (not removed, password, role or suspension unchanged) and its
/// tenant is active (<see cref="PortalSignInManager"/>). How often it runs is <see cref="SessionRevalidationOptions"/>.
/// </summary>
public sealed class SessionValidator(IServiceScopeFactory scopes, SessionRevalidationOptions options)
{
    public TimeSpan Period => options.Period;

    public async Task<bool> IsValidAsync(ClaimsPrincipal? user, CancellationToken cancellationToken = default)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();

        // A new scope, so the check reads fresh data whoever calls it.
        await using var scope = scopes.CreateAsyncScope();
        var signInManager = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        return await signInManager.ValidateSecurityStampAsync(user) is not null;
    }
}
