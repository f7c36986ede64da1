using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using Quartz;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// The periodic part of inventory sync: queues a sync for every verified environment whose interval has passed,
/// and closes syncs left "running" by a portal that stopped mid-way.
/// </summary>
[DisallowConcurrentExecution]
public sealed class QueueDueSyncsJob(TenantScope scope, PortalDbContext db, InventorySyncScheduler scheduler, TimeProvider clock, ILogger<QueueDueSyncsJob> logger) : IJob
{
    public static readonly JobKey Key = new("queue-due-syncs", "environments");

    /// <summary>A sync still queued or running after this long was lost (the portal stopped during it).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        scope.UseSystem("inventory sync schedule");
        try
        {
            var now = clock.GetUtcNow();
            var candidates = await db.Environments.Where(e => e.Status != EnvironmentStatus.Unverified).ToListAsync(cancellationToken);
            foreach (var environment in candidates)
            {
                if (environment.SyncState is SyncState.Queued or SyncState.Running
                    && now - (environment.LastSyncStartedAt ?? environment.CreatedAt) > AbandonedAfter)
                {
                    environment.FailSync("The sync was interrupted (the portal stopped during it); it runs again at the next interval.", now);
                }
            }

            var due = candidates.Where(e => e.IsSyncDue(now)).ToList();
            foreach (var environment in due)
            {
                environment.QueueSync();
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var environment in due)
            {
                await scheduler.TriggerAsync(environment.TenantId, environment.Id, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Queueing the due inventory syncs failed; it is tried again at the next run.");
        }
    }
}
