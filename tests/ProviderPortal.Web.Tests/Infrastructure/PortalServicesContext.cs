using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// A bUnit context whose components use the portal's own services over its real database, resolved in one scope opened as
/// a signed-in user (<see cref="TestUsers.ScopeFor"/>), which is disposed with the context.
/// </summary>
public abstract class PortalServicesContext : BunitContext, IAsyncLifetime
{
    private AsyncServiceScope? _scope;

    protected PortalServicesContext() => Authorization = this.AddPortalComponents();

    /// <summary>bUnit's authentication state of the components (what AuthorizeView sees).</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Gives the components these services of <paramref name="factory"/>'s portal, as <paramref name="user"/> has them.</summary>
    protected void UseServicesAs(PortalFactory factory, ClaimsPrincipal user, params Type[] services)
    {
        _scope = factory.ScopeFor(user);
        foreach (var service in services)
        {
            Services.AddSingleton(service, _scope.Value.ServiceProvider.GetRequiredService(service));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover services can only be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }
    }
}
