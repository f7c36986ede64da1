using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>Identity's sign-in manager, plus one rule: users of a suspended tenant cannot sign in or stay signed in.</summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    PortalDbContext db)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(PortalUser user) =>
        await base.CanSignInAsync(user) && !await IsTenantSuspendedAsync(user);

    public override async Task<PortalUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is not null && !await IsTenantSuspendedAsync(user) ? user : null;
    }

    private async Task<bool> IsTenantSuspendedAsync(PortalUser user)
    {
        if (user.TenantId is not { } tenantId)
        {
            return false;
        }

        // Runs before anyone is signed in, so it looks past the tenant filter, for this one row only.
        var tenant = await db.Tenants.IgnoreQueryFilters([TenantModel.FilterName])
            .Where(t => t.Id == tenantId)
            .Select(t => new { t.Status })
            .SingleOrDefaultAsync();
        return tenant is null || tenant.Status == Domain.Tenants.TenantStatus.Suspended;
    }
}
