using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// Reads one environment's inventory and stores it. Runs inside the environment's tenant (from the JobDataMap),
/// so it can neither read nor write another tenant's rows. A failure is recorded on the environment, in plain words.
/// </summary>
public sealed class SyncInventoryJob(
    TenantScope scope,
    PortalDbContext db,
    EnvironmentConnections connections,
    InventorySync sync,
    TimeProvider clock,
    ILogger<SyncInventoryJob> logger) : IJob
{
    public static readonly JobKey Key = new("sync-inventory", "environments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!TenantJobData.TryRead(context, out var tenantId, out var environmentId))
        {
            logger.LogError("An inventory sync was started without a tenant or environment id; nothing was done.");
            return;
        }

        scope.UseTenant(tenantId, "inventory sync");
        var environment = await db.Environments.FindAsync([environmentId], cancellationToken);
        if (environment is null)
        {
            return;
        }

        environment.StartSync(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await using var connector = connections.Create(environment);
            var vms = await connector.GetInventoryAsync(cancellationToken);
            var count = await sync.ApplyAsync(environment, vms, cancellationToken);
            logger.LogInformation("Inventory of environment {EnvironmentId} synced: {Count} VMs.", environmentId, count);
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("Inventory sync of environment {EnvironmentId} failed: {Kind}: {Message}", environmentId, ex.Kind, ex.Message);
            await FailAsync(environmentId, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Inventory sync of environment {EnvironmentId} failed unexpectedly.", environmentId);
            await FailAsync(environmentId, "The sync failed unexpectedly; the provider's staff can find the details in the portal log.");
        }
    }

    private async Task FailAsync(Guid environmentId, string message)
    {
        db.ChangeTracker.Clear();
        var environment = await db.Environments.FindAsync(environmentId);
        if (environment is not null)
        {
            environment.FailSync(message, clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
    }
}
