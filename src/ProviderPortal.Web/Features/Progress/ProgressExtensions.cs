using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Progress;

public static class ProgressExtensions
{
    /// <summary>The Redis channel prefix: several portals (or environments) can share one Redis without hearing each other.</summary>
    public const string RedisChannelPrefix = "ProviderPortal";

    /// <summary>
    /// SignalR for the whole portal (the browsers' progress hub and the workers' hub), with the Redis backplane when
    /// SignalR:Redis holds a StackExchange.Redis connection string ("localhost:6379"): then a message sent on one portal
    /// node reaches the clients connected to every node. Without it, one node serves only its own clients.
    /// </summary>
    public static IServiceCollection AddPortalProgress(this IServiceCollection services, IConfiguration configuration)
    {
        // Browsers' connections stay open only while their sign-in is still good (the worker hub has its own tokens).
        var signalR = services.AddSignalR().AddHubOptions<ProgressHub>(o => o.AddFilter<SignedInHubFilter>());
        if (configuration["SignalR:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(RedisChannelPrefix));
        }

        // A hub client without a valid sign-in gets 401, not a redirect to the login page it cannot use.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var redirect = o.Events.OnRedirectToLogin;
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments(ProgressHub.Path, StringComparison.OrdinalIgnoreCase))
                {
                    // Not re-executed as the "not found" page either: the client reads the status, not a page.
                    if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                    {
                        pages.Enabled = false;
                    }

                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                return redirect(context);
            };
        });

        services.AddSingleton<ProgressPublisher>();
        services.AddSingleton<IReplicationObserver>(sp => sp.GetRequiredService<ProgressPublisher>());
        services.AddScoped<ProgressService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalProgress(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<ProgressHub>(ProgressHub.Path);
        return endpoints;
    }
}
