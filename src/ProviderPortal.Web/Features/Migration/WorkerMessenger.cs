using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// What the portal sends to a worker, by its connection id. Through the hub context this reaches the worker on whichever
/// portal node it is connected to (with the Redis backplane).
/// </summary>
public sealed class WorkerMessenger(IHubContext<WorkerHub> hub)
{
    public Task AssignAsync(string connectionId, TaskAssignment assignment, CancellationToken cancellationToken) =>
        hub.Clients.Client(connectionId).SendAsync(WorkerProtocol.Assign, assignment, cancellationToken);

    /// <summary>Stops a running copy; the worker keeps nothing but what it already checkpointed.</summary>
    public Task CancelAsync(string connectionId, Guid taskId, CancellationToken cancellationToken) =>
        hub.Clients.Client(connectionId).SendAsync(WorkerProtocol.Cancel, taskId, cancellationToken);

    public Task ThrottleAsync(string connectionId, ThrottleUpdate update, CancellationToken cancellationToken) =>
        hub.Clients.Client(connectionId).SendAsync(WorkerProtocol.SetThrottle, update, cancellationToken);

    /// <summary>The connection of the worker running each of these copies, for those whose worker is still connected.</summary>
    public static async Task<List<(Guid Task, string Connection)>> ConnectionsOfAsync(PortalDbContext db, IReadOnlyCollection<ReplicationTask> tasks, CancellationToken cancellationToken)
    {
        var ids = tasks.Where(t => t.WorkerSessionId is not null).Select(t => t.WorkerSessionId!.Value).Distinct().ToList();
        var connections = await db.WorkerSessions.AsNoTracking().Where(s => ids.Contains(s.Id) && s.DisconnectedAt == null)
            .ToDictionaryAsync(s => s.Id, s => s.ConnectionId, cancellationToken);
        return [.. tasks.Where(t => t.WorkerSessionId is { } id && connections.ContainsKey(id)).Select(t => (t.Id, connections[t.WorkerSessionId!.Value]))];
    }
}
