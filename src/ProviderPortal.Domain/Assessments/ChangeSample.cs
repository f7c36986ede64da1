namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// Unique bytes changed on one VM disk during one sample interval (from changed-block tracking: the changed areas
/// between two snapshots, so a block written twice counts once), with the disk's allocated bytes at the time.
/// </summary>
[NotAudited]
public sealed class ChangeSample : ITenantOwned
{
    private ChangeSample()
    {
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid AssessmentId { get; private set; }

    public string VmId { get; private set; } = "";

    public string DiskKey { get; private set; } = "";

    /// <summary>The end of the interval.</summary>
    public DateTimeOffset At { get; private set; }

    public double IntervalSeconds { get; private set; }

    public long ChangedBytes { get; private set; }

    public long AllocatedBytes { get; private set; }

    public double BytesPerSecond => IntervalSeconds <= 0 ? 0 : ChangedBytes / IntervalSeconds;

    public static ChangeSample Record(Guid assessmentId, string vmId, string diskKey, DateTimeOffset at, TimeSpan interval, long changedBytes, long allocatedBytes)
    {
        if (changedBytes < 0 || allocatedBytes < 0 || interval <= TimeSpan.Zero)
        {
            throw new DomainException("A change sample needs a positive interval and no negative byte counts.");
        }

        return new ChangeSample
        {
            AssessmentId = assessmentId,
            VmId = vmId,
            DiskKey = diskKey,
            At = at,
            IntervalSeconds = interval.TotalSeconds,
            ChangedBytes = changedBytes,
            AllocatedBytes = allocatedBytes,
        };
    }
}
