using Microsoft.AspNetCore.Components.Server.Circuits;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Tenancy;

public static class TenancyExtensions
{
    /// <summary>One <see cref="TenantScope"/> per request or circuit, opened from the signed-in user.</summary>
    public static IServiceCollection AddPortalTenancy(this IServiceCollection services)
    {
        services.AddScoped<TenantScope>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantScope>());
        services.AddScoped<CircuitHandler, TenantCircuitHandler>();
        return services;
    }

    /// <summary>After authentication: every web request sees only what its user may see.</summary>
    public static IApplicationBuilder UsePortalTenancy(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<TenantScope>().UsePrincipal(context.User);
            return next(context);
        });
}
