using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// The workers connected to this portal node: their session, tenant and token, and the connection to abort when the
/// token is revoked or the session closed elsewhere. Also remembers which plan and VM each running copy belongs to, so
/// progress (several reports a second) needs no database read.
/// </summary>
public sealed class WorkerConnections
{
    private readonly ConcurrentDictionary<string, Connected> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, CopyOwner> _copies = new();

    public sealed record Connected(Guid SessionId, Guid TenantId, Guid TokenId, string WorkerName, HubCallerContext Context);

    public sealed record CopyOwner(Guid SessionId, Guid TenantId, Guid PlanId, Guid VmReplicationId, Domain.Plans.ReplicationTaskKind Kind);

    public IReadOnlyCollection<Connected> All => [.. _connections.Values];

    public void Add(string connectionId, Connected connected) => _connections[connectionId] = connected;

    public Connected? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public void Remove(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var gone))
        {
            foreach (var copy in _copies.Where(c => c.Value.SessionId == gone.SessionId).Select(c => c.Key).ToList())
            {
                _copies.TryRemove(copy, out _);
            }
        }
    }

    public void Own(Guid taskId, CopyOwner owner) => _copies[taskId] = owner;

    public CopyOwner? OwnerOf(Guid taskId) => _copies.GetValueOrDefault(taskId);

    public void Forget(Guid taskId) => _copies.TryRemove(taskId, out _);
}
