namespace ProviderPortal.Domain.Plans;

/// <summary>
/// A migration group of one environment: which VMs move together and in which boot order, how the baseline travels,
/// and the options. It keeps the forecast it was made from, so what really happens can be checked against it.
/// </summary>
public sealed class MigrationPlan : ITenantOwned
{
    private MigrationPlan()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid EnvironmentId { get; private set; }

    /// <summary>The assessment the plan was made from, if any.</summary>
    public Guid? AssessmentId { get; private set; }

    public string Name { get; private set; } = "";

    public PlanStatus Status { get; private set; }

    public List<PlanVm> Vms { get; private set; } = [];

    public PlanMethod Method { get; private set; }

    /// <summary>Off by default: the destination VMs stay off after cutover until someone starts them.</summary>
    public bool StartOnDestination { get; private set; }

    /// <summary>Off by default: the source VMs are never removed unless this is set and everything succeeded.</summary>
    public bool RemoveSourceAfterSuccess { get; private set; }

    public int SyncIntervalMinutes { get; private set; }

    public int? ThrottleMbps { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The forecast's initial copy time when the plan was made (null without an assessment).</summary>
    public TimeSpan? ForecastInitialCopy { get; private set; }

    public TimeSpan? ForecastDowntime { get; private set; }

    public TimeSpan? ForecastWindow { get; private set; }

    public static MigrationPlan Create(Guid environmentId, PlanDetails details, DateTimeOffset now) =>
        CreateFrom(environmentId, null, details, null, null, null, now);

    public static MigrationPlan CreateFrom(Guid environmentId, Guid? assessmentId, PlanDetails details, TimeSpan? initialCopy, TimeSpan? downtime, TimeSpan? window, DateTimeOffset now)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }

        return new MigrationPlan
        {
            Id = Guid.NewGuid(),
            EnvironmentId = environmentId,
            AssessmentId = assessmentId,
            Name = details.Name.Trim(),
            Status = PlanStatus.Draft,
            Vms = [.. details.Vms.OrderBy(v => v.BootOrder).ThenBy(v => v.Name, StringComparer.Ordinal)],
            Method = details.Method,
            StartOnDestination = details.StartOnDestination,
            RemoveSourceAfterSuccess = details.RemoveSourceAfterSuccess,
            SyncIntervalMinutes = details.SyncIntervalMinutes,
            ThrottleMbps = details.ThrottleMbps,
            CreatedAt = now,
            ForecastInitialCopy = initialCopy,
            ForecastDowntime = downtime,
            ForecastWindow = window,
        };
    }
}
