using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// On every portal node: vouches for the workers connected here (their sessions' last-seen time), so the dispatcher can
/// tell a node that died; and drops connections whose session was ended elsewhere, whose token was revoked or whose tenant was suspended.
/// </summary>
public sealed class WorkerHeartbeat(IServiceScopeFactory scopes, WorkerConnections connections, TimeProvider clock, ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The worker heartbeat failed: {Error}", ex.Message);
            }
        }
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var here = connections.All;
        if (here.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem("worker heartbeat");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var ids = here.Select(c => c.SessionId).ToList();
        var sessions = await db.WorkerSessions.Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
        var tokens = here.Select(c => c.TokenId).Distinct().ToList();
        var revoked = await db.WorkerTokens.AsNoTracking().Where(t => tokens.Contains(t.Id) && t.RevokedAt != null).Select(t => t.Id).ToListAsync(cancellationToken);
        var tenants = here.Select(c => c.TenantId).Distinct().ToList();
        var suspended = await db.Tenants.AsNoTracking().Where(t => tenants.Contains(t.Id) && t.Status != TenantStatus.Active).Select(t => t.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var connected in here)
        {
            var session = sessions.SingleOrDefault(s => s.Id == connected.SessionId);
            if (session is null || !session.IsConnected || revoked.Contains(connected.TokenId) || suspended.Contains(connected.TenantId))
            {
                logger.LogInformation("Dropping worker {Worker}: its session ended, its token was revoked or its tenant suspended", connected.WorkerName);
                connected.Context.Abort();
                continue;
            }

            session.Seen(now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
