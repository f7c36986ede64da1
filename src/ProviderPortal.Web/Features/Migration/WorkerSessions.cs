using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>Ending a worker session, wherever it ends (the hub on disconnect, the dispatcher for a node that died or a revoked token).</summary>
public static class WorkerSessions
{
    /// <summary>Closes the session and queues its running copies again (not counted as failures). Saves. Returns those copies.</summary>
    public static async Task<IReadOnlyList<ReplicationTask>> CloseAsync(PortalDbContext db, Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var session = await db.WorkerSessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        session?.Close(now);
        var running = await db.ReplicationTasks.Where(t => t.WorkerSessionId == sessionId && t.State == ReplicationTaskState.Running).ToListAsync(cancellationToken);
        foreach (var task in running)
        {
            task.Release("The worker disconnected; the copy resumes from its last checkpoint.", now, countsAsFailure: false);
        }

        await db.SaveChangesAsync(cancellationToken);
        return running;
    }
}
