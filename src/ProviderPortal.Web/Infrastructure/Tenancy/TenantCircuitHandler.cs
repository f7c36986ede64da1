using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Tenancy;

/// <summary>
/// An interactive circuit has no HTTP request to read the user from: before every piece of circuit
/// work, the tenant scope is opened from the circuit's authentication state (which revalidation
/// may have changed since the circuit started).
/// </summary>
public sealed class TenantCircuitHandler(AuthenticationStateProvider authentication, TenantScope scope) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) =>
        scope.UsePrincipal((await authentication.GetAuthenticationStateAsync()).User);

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            scope.UsePrincipal(state.User);
            await next(context);
        };
}
