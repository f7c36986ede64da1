namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// Bytes done of total, with the percentage (never above 100; null while the size is not known), the rate and the ETA
/// (null unless copying with a measured rate; no rate before the first report), and how long the worker has been silent when that is too long.
/// </summary>
public sealed record ProgressFigures(
    long BytesDone,
    long BytesTotal,
    double? Percent,
    double? BytesPerSecond,
    TimeSpan? Eta,
    bool Running,
    TimeSpan? WaitingFor,
    string Phase)
{
    public static ProgressFigures Idle { get; } = new(0, 0, null, null, null, false, null, "idle");

    public static ProgressFigures From(long done, long total, double? rate, bool running, TimeSpan? waitingFor, string phase)
    {
        done = Math.Max(0, done);
        total = Math.Max(0, total);
        double? percent = total > 0 ? Math.Min(100, 100.0 * done / total) : null;
        var measured = running && waitingFor is null && rate is > 0 ? rate : null;
        TimeSpan? eta = measured is { } r && total > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - done) / r) : null;
        return new ProgressFigures(done, total, percent, running && waitingFor is null ? rate : null, eta, running, waitingFor, phase);
    }

    /// <summary>"waiting for the worker (last update 14 s ago)", or null while updates arrive.</summary>
    public string? WaitingText => WaitingFor is { } silence ? $"waiting for the worker (last update {(int)silence.TotalSeconds} s ago)" : null;
}
