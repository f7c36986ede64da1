using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// Whether the signed-in user meets one of the <see cref="Policies"/>, for services whose actions need more than the page's
/// policy (a ProviderOperator reads destinations, only a ProviderAdmin changes them). No known user means no.
/// </summary>
public sealed class UserPermissions(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<bool> AllowsAsync(string policy)
    {
        AuthenticationState state;
        try
        {
            state = await authentication.GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            // Outside a request or circuit nobody is signed in.
            return false;
        }

        return (await authorization.AuthorizeAsync(state.User, policy)).Succeeded;
    }
}
