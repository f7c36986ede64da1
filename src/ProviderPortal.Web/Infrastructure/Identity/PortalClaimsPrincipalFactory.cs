using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>Adds the tenant claim (for tenant users) and the display name to the sign-in cookie.</summary>
public sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaimType = "portal:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.TenantId is { } tenantId)
        {
            identity.AddClaim(new Claim(TenantScope.TenantClaimType, tenantId.ToString()));
        }

        identity.AddClaim(new Claim(DisplayNameClaimType, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        return identity;
    }
}
