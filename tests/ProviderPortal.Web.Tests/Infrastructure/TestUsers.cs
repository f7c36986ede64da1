using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// Runs service calls as a signed-in user, the way a circuit does: the tenant scope opened from the user's principal, and
/// the same principal as the authentication state the services' policy checks read.
/// </summary>
public static class TestUsers
{
    public static ClaimsPrincipal Principal(string email, string role, Guid? tenantId = null, string? id = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id ?? email),
            new(ClaimTypes.Name, email),
            new(ClaimTypes.Role, role),
        };
        if (tenantId is { } tenant)
        {
            claims.Add(new Claim(TenantScope.TenantClaimType, tenant.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    public static ClaimsPrincipal ProviderAdmin { get; } = Principal("admin@provider.example", PortalRoles.ProviderAdmin);

    public static ClaimsPrincipal ProviderOperator { get; } = Principal("operator@provider.example", PortalRoles.ProviderOperator);

    public static ClaimsPrincipal AdminOf(TestTenant tenant) => Principal(tenant.Admin.Email!, PortalRoles.TenantAdmin, tenant.Id, tenant.Admin.Id);

    public static ClaimsPrincipal MemberOf(TestTenant tenant) => Principal(tenant.Member.Email!, PortalRoles.TenantMember, tenant.Id, tenant.Member.Id);

    /// <summary>Opens a service scope as <paramref name="user"/>; the caller disposes it.</summary>
    public static AsyncServiceScope ScopeFor(this PortalFactory factory, ClaimsPrincipal user)
    {
        var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UsePrincipal(user);
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));
        return scope;
    }

    public static async Task<T> AsUserAsync<T>(this PortalFactory factory, ClaimsPrincipal user, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = factory.ScopeFor(user);
        return await work(scope.ServiceProvider);
    }
}
