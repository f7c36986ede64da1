using System.Diagnostics;

namespace ProviderPortal.Replication.Copy;

/// <summary>
/// A token bucket shared by a copy's writers. The rate may change while a copy runs; null or 0 is unlimited.
/// A request larger than the bucket goes through and leaves a debt that later requests wait off.
/// </summary>
public sealed class Throttle
{
    // Waiters re-check at least this often so that a new rate takes effect quickly.
    private static readonly TimeSpan s_maxWaitStep = TimeSpan.FromMilliseconds(50);

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long? _bytesPerSecond;
    private double _tokens;
    private TimeSpan _lastRefill;
    private long _bytesAdmitted;

    public Throttle(long? bytesPerSecond = null)
    {
        BytesPerSecond = bytesPerSecond;
    }

    public long? BytesPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _bytesPerSecond;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value ?? 0);
            lock (_lock)
            {
                Refill();
                _bytesPerSecond = value is > 0 ? value : null;
                _tokens = Math.Min(_tokens, Burst());
            }
        }
    }

    /// <summary>Bytes let through since the throttle was made, at whatever rate (unlimited included).</summary>
    public long BytesAdmitted => Interlocked.Read(ref _bytesAdmitted);

    /// <summary>Waits until <paramref name="bytes"/> may be sent at the current rate.</summary>
    public async ValueTask WaitAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                Refill();
                if (_bytesPerSecond is not { } rate || _tokens >= 0)
                {
                    _tokens -= _bytesPerSecond is null ? 0 : bytes;
                    Interlocked.Add(ref _bytesAdmitted, bytes);
                    return;
                }

                wait = TimeSpan.FromSeconds(-_tokens / rate);
            }

            await Task.Delay(wait < s_maxWaitStep ? wait : s_maxWaitStep, cancellationToken);
        }
    }

    private void Refill()
    {
        var now = _clock.Elapsed;
        if (_bytesPerSecond is { } rate)
        {
            _tokens = Math.Min(_tokens + ((now - _lastRefill).TotalSeconds * rate), Burst());
        }

        _lastRefill = now;
    }

    // An idle writer may save up a tenth of a second's worth.
    private double Burst() => _bytesPerSecond is { } rate ? rate / 10.0 : 0;
}
