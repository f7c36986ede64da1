using Microsoft.AspNetCore.SignalR;
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
}
