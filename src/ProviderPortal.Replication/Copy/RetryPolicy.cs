namespace ProviderPortal.Replication.Copy;

/// <summary>How often and how patiently a copy reopens its devices after a transient failure.</summary>
public sealed record RetryPolicy
{
    /// <summary>Tries in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before try number <paramref name="attempt"/> + 1: doubling from <see cref="InitialDelay"/>, capped at <see cref="MaxDelay"/>.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = InitialDelay * factor;
        return delay > MaxDelay ? MaxDelay : delay;
    }
}
