using ProviderPortal.Web.Infrastructure.Jobs;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>Starts an inventory sync now, by triggering the durable sync job with the tenant and environment as its data.</summary>
public sealed class InventorySyncScheduler(PortalScheduler scheduler)
{
    public async Task TriggerAsync(Guid tenantId, Guid environmentId, CancellationToken cancellationToken = default) =>
        await (await scheduler.GetAsync(cancellationToken)).TriggerJob(SyncInventoryJob.Key, TenantJobData.For(tenantId, environmentId), cancellationToken);
}
