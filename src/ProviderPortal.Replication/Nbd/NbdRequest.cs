using System.Threading.Tasks.Sources;

namespace ProviderPortal.Replication.Nbd;

/// <summary>
/// One request in flight: where its reply goes and how the caller awaits it. Pooled per connection,
/// so a read or a write allocates nothing once the pool is warm.
/// </summary>
internal sealed class NbdRequest : IValueTaskSource
{
    private readonly Action<NbdRequest> _return;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public NbdRequest(Action<NbdRequest> returnToPool) => _return = returnToPool;

    public ushort Command { get; set; }

    public string Operation { get; set; } = "";

    public long Offset { get; set; }

    public uint Length { get; set; }

    /// <summary>READ: where the data goes.</summary>
    public Memory<byte> Destination { get; set; }

    /// <summary>BLOCK_STATUS: descriptors of every context the server reported.</summary>
    public List<NbdStatusDescriptor>? Status { get; set; }

    /// <summary>READ: bytes the data and hole chunks have covered so far (chunks never overlap).</summary>
    public long Covered { get; set; }

    /// <summary>The first error a chunk reported; the request fails with it when its last chunk arrives.</summary>
    public uint Error { get; set; }

    public string? ErrorMessage { get; set; }

    public short Version => _core.Version;

    public void Succeed() => _core.SetResult(true);

    public void Fail(Exception exception) => _core.SetException(exception);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Destination = default;
            Status = null;
            Error = 0;
            ErrorMessage = null;
            Covered = 0;
            _return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
