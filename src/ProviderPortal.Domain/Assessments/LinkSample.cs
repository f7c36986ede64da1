namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// One measurement of the data path: throughput of a timed, bounded read through the replication engine, and the
/// latency and loss of probe connections to the data-path endpoint. Null where that part could not be measured.
/// </summary>
[NotAudited]
public sealed class LinkSample : ITenantOwned
{
    private LinkSample()
    {
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid AssessmentId { get; private set; }

    public DateTimeOffset At { get; private set; }

    public double? ThroughputBytesPerSecond { get; private set; }

    public double? LatencyMilliseconds { get; private set; }

    /// <summary>Failed probes over all probes, 0 to 1.</summary>
    public double? LossRatio { get; private set; }

    public static LinkSample Record(Guid assessmentId, DateTimeOffset at, double? throughputBytesPerSecond, double? latencyMilliseconds, double? lossRatio) => new()
    {
        AssessmentId = assessmentId,
        At = at,
        ThroughputBytesPerSecond = throughputBytesPerSecond,
        LatencyMilliseconds = latencyMilliseconds,
        LossRatio = lossRatio is null ? null : Math.Clamp(lossRatio.Value, 0, 1),
    };
}
