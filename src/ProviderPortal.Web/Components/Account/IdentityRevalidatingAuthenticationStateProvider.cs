using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using ProviderPortal.Data;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Components.Account;

// Revalidates the security stamp (and the tenant's status) of the user of an interactive circuit.
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        SessionRevalidationOptions revalidation)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Short (a minute by default), so that a suspended tenant or a removed member loses an open page quickly.
    protected override TimeSpan RevalidationInterval => revalidation.Period;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A new scope, so the check reads fresh data; PortalSignInManager also refuses suspended tenants.
        await using var scope = scopeFactory.CreateAsyncScope();
        var signInManager = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        return await signInManager.ValidateSecurityStampAsync(authenticationState.User) is not null;
    }
}
