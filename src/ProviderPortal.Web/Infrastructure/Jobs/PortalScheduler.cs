using Quartz;

namespace ProviderPortal.Web.Infrastructure.Jobs;

/// <summary>The portal's Quartz scheduler. It is a named one, so its components are registered under its name.</summary>
public sealed class PortalScheduler(IServiceProvider services, IConfiguration configuration)
{
    public string Name { get; } = configuration["Scheduler:Name"] ?? "ProviderPortal";

    public async Task<IScheduler> GetAsync(CancellationToken cancellationToken = default) =>
        await services.GetRequiredKeyedService<ISchedulerFactory>(Name).GetScheduler(cancellationToken);
}
