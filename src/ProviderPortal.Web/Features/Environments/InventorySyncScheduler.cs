using Quartz;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>Starts an inventory sync now, by triggering the durable sync job with the tenant and environment as its data.</summary>
public sealed class InventorySyncScheduler(IServiceProvider services, IConfiguration configuration)
{
    public async Task TriggerAsync(Guid tenantId, Guid environmentId, CancellationToken cancellationToken = default)
    {
        // The portal's scheduler is a named one: its components are registered under its name.
        var name = configuration["Scheduler:Name"] ?? "ProviderPortal";
        var scheduler = await services.GetRequiredKeyedService<ISchedulerFactory>(name).GetScheduler(cancellationToken);
        var data = new JobDataMap
        {
            [SyncInventoryJob.TenantIdKey] = tenantId.ToString(),
            [SyncInventoryJob.EnvironmentIdKey] = environmentId.ToString(),
        };
        await scheduler.TriggerJob(SyncInventoryJob.Key, data, cancellationToken);
    }
}
