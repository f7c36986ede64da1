namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// An observation of some VMs of one environment over a period, sampled at an interval: what changes on their
/// disks and what the data path carries. Transitions: Observing → Completed (the period ended) | Cancelled.
/// </summary>
public sealed class Assessment : ITenantOwned
{
    public const int MaxNameLength = 100;
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(30);
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(6);
    public const string PeriodRange = "The observation period must be between 2 minutes and 30 days.";

    private Assessment()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EnvironmentId { get; private set; }

    public string Name { get; private set; } = "";

    public AssessmentStatus Status { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset EndsAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public int SampleIntervalSeconds { get; private set; }

    [NotAudited]
    public int SamplesTaken { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastSampleAt { get; private set; }

    [NotAudited]
    public string? LastError { get; private set; }

    [NotAudited]
    public List<AssessmentVm> Vms { get; private set; } = [];

    public TimeSpan SampleInterval => TimeSpan.FromSeconds(SampleIntervalSeconds);

    public TimeSpan Period => EndsAt - StartedAt;

    public bool IsObserving => Status == AssessmentStatus.Observing;

    /// <summary>
    /// How many rounds the period holds, counted as <see cref="SamplesTaken"/> counts them: the first at the start (it only
    /// starts counting changes), one every interval, and the one nearest the period's end, which closes it (<see cref="RecordSample"/>).
    /// </summary>
    public int ExpectedSamples => (int)Math.Ceiling((Period / SampleInterval) - 0.5) + 1;

    public static Assessment Start(Guid environmentId, string name, IReadOnlyList<AssessmentVm> vms, TimeSpan period, TimeSpan interval, DateTimeOffset now)
    {
        var errors = Validate(name, vms, period, interval);
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }

        return new Assessment
        {
            Id = Guid.NewGuid(),
            EnvironmentId = environmentId,
            Name = name.Trim(),
            Status = AssessmentStatus.Observing,
            StartedAt = now,
            EndsAt = now + period,
            SampleIntervalSeconds = (int)interval.TotalSeconds,
            Vms = [.. vms],
        };
    }

    /// <summary>
    /// <paramref name="amount"/> units (minutes, hours, days) as a period for <see cref="Validate"/> to judge; null when no
    /// period can be that long (999,999,999 hours is more than a TimeSpan holds), which is outside the range all the same.
    /// </summary>
    public static TimeSpan? PeriodOf(long amount, TimeSpan unit) =>
        unit > TimeSpan.Zero && amount >= -(TimeSpan.MaxValue.Ticks / unit.Ticks) && amount <= TimeSpan.MaxValue.Ticks / unit.Ticks
            ? TimeSpan.FromTicks(amount * unit.Ticks)
            : null;

    /// <summary>The errors, keyed by field, in plain words; empty when an observation can start.</summary>
    public static IReadOnlyDictionary<string, string> Validate(string? name, IReadOnlyList<AssessmentVm> vms, TimeSpan period, TimeSpan interval)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["Name"] = "Enter a name for the assessment.";
        }
        else if (name.Trim().Length > MaxNameLength)
        {
            errors["Name"] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (vms.Count == 0)
        {
            errors["Vms"] = "Choose at least one VM to observe.";
        }

        if (period < MinPeriod || period > MaxPeriod)
        {
            errors["Period"] = PeriodRange;
        }

        if (interval < MinInterval || interval > MaxInterval)
        {
            errors["Interval"] = "The sample interval must be between 30 seconds and 6 hours.";
        }
        else if (period >= MinPeriod && interval * 2 > period)
        {
            errors["Interval"] = "The period must hold at least two sample intervals: a first one to start counting, and one that measures.";
        }

        return errors;
    }

    /// <summary>Records a sampling round and the VMs' new tracking positions; the period's end completes the observation.</summary>
    public void RecordSample(IReadOnlyList<AssessmentVm> vms, string? error, DateTimeOffset now)
    {
        RequireObserving();
        Vms = [.. vms];
        SamplesTaken++;
        LastSampleAt = now;
        LastError = error;

        // The round nearest the end closes the period: sampling never stops half an interval short or runs one over.
        if (now >= EndsAt - (SampleInterval / 2))
        {
            Status = AssessmentStatus.Completed;
            EndedAt = now;
        }
    }

    public void Cancel(DateTimeOffset now)
    {
        RequireObserving();
        Status = AssessmentStatus.Cancelled;
        EndedAt = now;
    }

    /// <summary>Observes longer: the new end must be later than the current one and within the longest period.</summary>
    public void Extend(TimeSpan more)
    {
        RequireObserving();
        // Compared with what is left, not added first: a huge extension would carry the end past any date.
        if (more <= TimeSpan.Zero || more > MaxPeriod - Period)
        {
            throw new DomainException("An assessment can be extended by a positive time, up to 30 days of observation in all.");
        }

        EndsAt += more;
    }

    /// <summary>After the end, when the observation's snapshots have been removed from the VMs.</summary>
    public void ForgetSnapshots() => Vms = [.. Vms.Select(v => v with { SnapshotId = null, ChangeIds = [] })];

    private void RequireObserving()
    {
        if (!IsObserving)
        {
            throw new DomainException($"The assessment {Name} is no longer observing.");
        }
    }
}
