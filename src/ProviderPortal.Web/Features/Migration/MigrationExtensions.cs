namespace ProviderPortal.Web.Features.Migration;

public static class MigrationExtensions
{
    /// <summary>Plans that run: the worker hub, the dispatcher and cycles (Quartz), and the user's actions on plans.</summary>
    public static IServiceCollection AddPortalMigration(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<WorkerMessenger>();
        services.AddSingleton<ReplicationScheduler>();
        services.AddScoped<PlanRunService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortalMigration(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<WorkerHub>(Domain.Workers.Protocol.WorkerProtocol.HubPath);
        return endpoints;
    }
}
