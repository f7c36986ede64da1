using System.Diagnostics;

namespace ProviderPortal.Replication.Copy;

/// <summary>Counts handled bytes and reports progress at most every interval, with the rate over the last few seconds.</summary>
internal sealed class ProgressTracker(IProgress<CopyProgress>? progress, long total, TimeSpan interval)
{
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Queue<(TimeSpan At, long Done)> _samples = new();
    private long _done;
    private TimeSpan _lastReport = -interval;

    public long Total { get; } = total;

    public long Done => Interlocked.Read(ref _done);

    /// <summary>Sets the count, as when a retry restarts from a checkpoint.</summary>
    public void Reset(long done)
    {
        lock (_lock)
        {
            Interlocked.Exchange(ref _done, done);
            _samples.Clear();
            _samples.Enqueue((_clock.Elapsed, done));
        }
    }

    public void Add(long bytes)
    {
        Interlocked.Add(ref _done, bytes);
        if (progress is null || _clock.Elapsed - _lastReport < interval)
        {
            return;
        }

        lock (_lock)
        {
            var now = _clock.Elapsed;
            if (now - _lastReport < interval)
            {
                return;
            }

            _lastReport = now;
            progress.Report(Sample(now, Done));
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            var rate = Rate(_clock.Elapsed, Total);
            Interlocked.Exchange(ref _done, Total);
            progress?.Report(new CopyProgress(Total, Total, rate, TimeSpan.Zero));
        }
    }

    private CopyProgress Sample(TimeSpan now, long done)
    {
        var rate = Rate(now, done);
        var seconds = rate > 0 ? Math.Max(0, Total - done) / rate : double.PositiveInfinity;

        // No estimate while the rate is too low to give a sensible one (beyond a year).
        TimeSpan? eta = seconds < TimeSpan.FromDays(365).TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        return new CopyProgress(done, Total, rate, eta);
    }

    private double Rate(TimeSpan now, long done)
    {
        _samples.Enqueue((now, done));
        while (_samples.Count > 2 && now - _samples.Peek().At > s_rateWindow)
        {
            _samples.Dequeue();
        }

        var (at, oldest) = _samples.Peek();
        var seconds = (now - at).TotalSeconds;
        return seconds > 0 ? (done - oldest) / seconds : 0;
    }
}
