namespace ProviderPortal.Domain.Workers;

/// <summary>
/// A worker connected to a portal node's hub (any node: the row is how the others know of it). A session ends when the
/// connection drops; its running copies go back to the queue and resume from their checkpoints on the next worker.
/// </summary>
public sealed class WorkerSession : ITenantOwned
{
    private WorkerSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid TokenId { get; private set; }

    /// <summary>The SignalR connection id (unique across nodes).</summary>
    public string ConnectionId { get; private set; } = "";

    /// <summary>The portal node the worker is connected to.</summary>
    public string Node { get; private set; } = "";

    public string WorkerName { get; private set; } = "";

    public string Version { get; private set; } = "";

    /// <summary>How many copies the worker runs at once.</summary>
    public int Slots { get; private set; }

    public bool IsLocal { get; private set; }

    public int? ProcessId { get; private set; }

    public DateTimeOffset ConnectedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset LastSeenAt { get; private set; }

    public DateTimeOffset? DisconnectedAt { get; private set; }

    public bool IsConnected => DisconnectedAt is null;

    public static WorkerSession Open(WorkerToken token, string connectionId, string node, string workerName, string version, int slots, int? processId, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(),
            TenantId = token.TenantId,
            TokenId = token.Id,
            ConnectionId = connectionId,
            Node = node,
            WorkerName = string.IsNullOrWhiteSpace(workerName) ? "worker" : workerName.Trim()[..Math.Min(100, workerName.Trim().Length)],
            Version = version.Length > 40 ? version[..40] : version,
            Slots = Math.Clamp(slots, 1, 16),
            IsLocal = token.IsLocal,
            ProcessId = processId,
            ConnectedAt = now,
            LastSeenAt = now,
        };

    public void Seen(DateTimeOffset now) => LastSeenAt = now;

    public void Close(DateTimeOffset now) => DisconnectedAt ??= now;
}
