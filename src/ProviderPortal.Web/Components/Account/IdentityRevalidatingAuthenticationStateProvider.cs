using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Components.Account;

// Revalidates the session of the user of an interactive circuit: the same check as the hubs' (SessionValidator).
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        SessionValidator sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Short (a minute by default), so that a suspended tenant or a removed member loses an open page quickly.
    protected override TimeSpan RevalidationInterval => sessions.Period;

    protected override Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        sessions.IsValidAsync(authenticationState.User, cancellationToken);
}
