using Microsoft.AspNetCore.Authentication;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

public static class MigrationExtensions
{
    /// <summary>
    /// Plans that run: the worker hub and its token authentication, the local worker supervisor, the heartbeat that
    /// vouches for this node's workers, and the user's actions on plans. The Quartz jobs are registered with the others;
    /// SignalR itself (and its Redis backplane) is set up by AddPortalProgress.
    /// </summary>
    public static IServiceCollection AddPortalMigration(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReplicationOptions>(configuration.GetSection("Replication"));
        services.Configure<WorkerOptions>(configuration.GetSection("Workers"));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, WorkerAuthentication>(WorkerAuthentication.SchemeName, null);
        services.AddSingleton<PortalNode>();
        services.AddSingleton<WorkerConnections>();
        services.AddSingleton<WorkerMessenger>();
        services.AddSingleton<ReplicationScheduler>();
        services.AddSingleton<LocalWorkerSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalWorkerSupervisor>());
        services.AddHostedService<WorkerHeartbeat>();
        services.AddScoped<PlanRunService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalMigration(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<WorkerHub>(WorkerProtocol.HubPath);
        return endpoints;
    }
}
