using Microsoft.EntityFrameworkCore;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// Keeps the guests of every lab environment busy: one workload per lab writes into its running VMs' hot regions at
/// their configured rates, so assessments and replications see real changes. Labs added or removed are picked up
/// within <c>Environments:Lab:CheckSeconds</c>. Off with <c>Environments:Lab:Workload=false</c>.
/// </summary>
public sealed class LabWorkloadService(IServiceScopeFactory scopes, EnvironmentConnections connections, IConfiguration configuration, TimeProvider clock, ILogger<LabWorkloadService> logger)
    : BackgroundService
{
    private readonly Dictionary<Guid, (CancellationTokenSource Stop, Task Run)> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Environments:Lab:Workload", true))
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Environments:Lab:CheckSeconds", 15), 1, 3600));
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                await ReconcileAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var (stop, run) in _running.Values)
            {
                await stop.CancelAsync();
                await run;
                stop.Dispose();
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        HashSet<Guid> labs;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem("lab workload");
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            labs = [.. await db.Environments.Where(e => e.Kind == EnvironmentKind.Lab).Select(e => e.Id).ToListAsync(stoppingToken)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Listing the lab environments failed; the lab workloads are checked again later.");
            return;
        }

        foreach (var gone in _running.Keys.Where(id => !labs.Contains(id)).ToList())
        {
            var (stop, run) = _running[gone];
            await stop.CancelAsync();
            await run;
            stop.Dispose();
            _running.Remove(gone);
        }

        foreach (var id in labs.Where(id => !_running.ContainsKey(id) || _running[id].Run.IsCompleted))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[id] = (stop, RunAsync(id, stop.Token));
        }
    }

    private async Task RunAsync(Guid environmentId, CancellationToken cancellationToken)
    {
        try
        {
            var lab = await LabEnvironment.OpenOrCreateAsync(connections.LabRoot(environmentId), timeProvider: clock, cancellationToken: cancellationToken);
            await new LabWorkload(lab, timeProvider: clock).RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Tried again at the next check.
            logger.LogWarning(ex, "The workload of lab environment {EnvironmentId} stopped.", environmentId);
        }
    }
}
