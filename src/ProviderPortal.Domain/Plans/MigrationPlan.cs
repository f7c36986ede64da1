namespace ProviderPortal.Domain.Plans;

/// <summary>
/// A migration group of one environment: which VMs move together and in which boot order, where they land, how the
/// baseline travels, and the options. It keeps the forecast it was made from, so what really happens can be checked
/// against it. Its states and their transitions are in <see cref="PlanStatus"/>; anything else throws.
/// </summary>
public sealed class MigrationPlan : ITenantOwned
{
    /// <summary>The longest reason kept with the plan (a user's reason for cancelling is refused beyond it).</summary>
    public const int MaxReasonLength = 1000;

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

    /// <summary>The destination site the group lands in; chosen before the plan starts.</summary>
    public Guid? DestinationId { get; private set; }

    /// <summary>Which destination network each source network's NICs are attached to.</summary>
    public List<NetworkMapping> NetworkMappings { get; private set; } = [];

    /// <summary>Why the plan is where it is, when that needs saying (a rollback's cause, a cancellation).</summary>
    public string? StatusReason { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? CutoverStartedAt { get; private set; }

    public DateTimeOffset? CutoverEndedAt { get; private set; }

    /// <summary>Who started the last cutover: a user's email, or the maintenance window.</summary>
    public string? CutoverStartedBy { get; private set; }

    public bool IsActive => Status is PlanStatus.Replicating or PlanStatus.Paused or PlanStatus.CuttingOver or PlanStatus.RolledBack;

    public bool IsFinished => Status is PlanStatus.Completed or PlanStatus.Failed or PlanStatus.Cancelled;

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

    /// <summary>Sets where the group lands and how its networks map; only while the plan is a draft.</summary>
    public void SetDestination(Guid destinationId, IReadOnlyList<NetworkMapping> mappings)
    {
        Require(PlanStatus.Draft, "The destination can change only while the plan is a draft.");
        if (mappings.Any(m => string.IsNullOrWhiteSpace(m.SourceNetwork) || string.IsNullOrWhiteSpace(m.DestinationNetwork)))
        {
            throw new DomainException("Every source network needs a destination network.");
        }

        if (mappings.Select(m => m.SourceNetwork.Trim()).Distinct(StringComparer.Ordinal).Count() != mappings.Count)
        {
            throw new DomainException("A source network can be mapped only once.");
        }

        DestinationId = destinationId;
        NetworkMappings = [.. mappings.Select(m => new NetworkMapping(m.SourceNetwork.Trim(), m.DestinationNetwork.Trim()))];
    }

    /// <summary>
    /// Changes the group, method and options while a draft; once copying, only the sync interval, the throttle and the
    /// two source-safety options, which take effect from the next cycle (the throttle at once).
    /// </summary>
    public void Update(PlanDetails details)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }

        if (Status == PlanStatus.Draft)
        {
            Name = details.Name.Trim();
            Vms = [.. details.Vms.OrderBy(v => v.BootOrder).ThenBy(v => v.Name, StringComparer.Ordinal)];
            Method = details.Method;
        }
        else if (Status is PlanStatus.Replicating or PlanStatus.Paused or PlanStatus.RolledBack)
        {
            if (details.Name.Trim() != Name || details.Method != Method || !details.Vms.OrderBy(v => v.BootOrder).ThenBy(v => v.Name, StringComparer.Ordinal).SequenceEqual(Vms))
            {
                throw new DomainException("Once copying has started, the group, its boot order and the method stay as they are; cancel and make a new plan to change them.");
            }
        }
        else
        {
            throw new DomainException($"A plan that is {Describe(Status)} cannot change.");
        }

        StartOnDestination = details.StartOnDestination;
        RemoveSourceAfterSuccess = details.RemoveSourceAfterSuccess;
        SyncIntervalMinutes = details.SyncIntervalMinutes;
        ThrottleMbps = details.ThrottleMbps;
    }

    /// <summary>Changes the throttle while copies run (they apply it at once).</summary>
    public void SetThrottle(int? mbps)
    {
        if (mbps is < 1)
        {
            throw new DomainException("A throttle must be at least 1 Mbit/s, or empty for none.");
        }

        if (IsFinished)
        {
            throw new DomainException($"A plan that is {Describe(Status)} has nothing to throttle.");
        }

        ThrottleMbps = mbps;
    }

    public PlanDetails ToDetails() =>
        new(Name, Vms, Method, StartOnDestination, RemoveSourceAfterSuccess, SyncIntervalMinutes, ThrottleMbps);

    /// <summary>Draft → Replicating: the baselines are queued.</summary>
    public void Start(DateTimeOffset now)
    {
        Require(PlanStatus.Draft, "Only a draft plan can start.");
        if (DestinationId is null)
        {
            throw new DomainException("Choose a destination before starting the plan.");
        }

        Status = PlanStatus.Replicating;
        StartedAt = now;
        StatusReason = null;
    }

    public void Pause()
    {
        Require(PlanStatus.Replicating, "Only a replicating plan can be paused.");
        Status = PlanStatus.Paused;
    }

    /// <summary>Paused → Replicating, or RolledBack → Replicating (the copies go on, ready for another cutover).</summary>
    public void Resume()
    {
        if (Status is not (PlanStatus.Paused or PlanStatus.RolledBack))
        {
            throw new DomainException("Only a paused or rolled-back plan can resume.");
        }

        Status = PlanStatus.Replicating;
        StatusReason = null;
    }

    /// <summary>
    /// Replicating → CuttingOver, when every VM's baseline is on the destination (<paramref name="vms"/> are the plan's
    /// replications). <paramref name="startedBy"/> is the user or the window that started it.
    /// </summary>
    public void BeginCutover(IReadOnlyCollection<VmReplication> vms, string startedBy, DateTimeOffset now)
    {
        Require(PlanStatus.Replicating, "A cutover starts from a replicating plan" + (Status == PlanStatus.Paused ? "; resume it first." : "."));
        if (CutoverWaitsFor([.. vms.Select(v => (v.VmName, v.BaselineDone))]) is { } waiting)
        {
            throw new DomainException(waiting);
        }

        Status = PlanStatus.CuttingOver;
        CutoverStartedAt = now;
        CutoverEndedAt = null;
        CutoverStartedBy = startedBy;
        StatusReason = null;
    }

    /// <summary>
    /// What a replicating plan's cutover still waits for, in words, or null when it can start: every VM's baseline on the
    /// destination (<paramref name="vms"/>: each VM's name and whether its baseline is done).
    /// </summary>
    public static string? CutoverWaitsFor(IReadOnlyCollection<(string Name, bool BaselineDone)> vms)
    {
        var waiting = vms.Where(v => !v.BaselineDone).Select(v => v.Name).ToList();
        return vms.Count == 0 ? "The plan has no VMs being replicated."
            : waiting.Count > 0 ? $"The baseline of {string.Join(", ", waiting)} is not on the destination yet; the cutover can start once it is."
            : null;
    }

    public void CompleteCutover(DateTimeOffset now)
    {
        Require(PlanStatus.CuttingOver, "Only a plan that is cutting over can complete.");
        Status = PlanStatus.Completed;
        CutoverEndedAt = now;
    }

    /// <summary>What happened to the sources after a completed cutover (removed as the plan asked, or why not).</summary>
    public void NoteSourceRemoval(string note)
    {
        Require(PlanStatus.Completed, "Sources are removed only after a completed cutover.");
        if (!RemoveSourceAfterSuccess)
        {
            throw new DomainException("This plan keeps its source VMs.");
        }

        StatusReason = RequireReason(note);
    }

    /// <summary>CuttingOver → RolledBack: the cutover failed before any destination VM ran, and every source runs again.</summary>
    public void RollBack(string reason, DateTimeOffset now)
    {
        Require(PlanStatus.CuttingOver, "Only a plan that is cutting over can roll back.");
        StatusReason = RequireReason(reason);
        Status = PlanStatus.RolledBack;
        CutoverEndedAt = now;
    }

    /// <summary>CuttingOver → Failed: something failed after a destination VM was started; it needs a person.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        Require(PlanStatus.CuttingOver, "Only a plan that is cutting over can fail.");
        StatusReason = RequireReason(reason);
        Status = PlanStatus.Failed;
        CutoverEndedAt = now;
    }

    /// <summary>Gives the plan up. Nothing is done to the sources; copies already on the destination stay.</summary>
    public void Cancel(string reason)
    {
        if (Status is not (PlanStatus.Draft or PlanStatus.Replicating or PlanStatus.Paused or PlanStatus.RolledBack))
        {
            throw new DomainException($"A plan that is {Describe(Status)} cannot be cancelled.");
        }

        var why = RequireReason(reason);
        StatusReason = why.Length > MaxReasonLength ? throw new DomainException($"The reason can be at most {MaxReasonLength} characters.") : why;
        Status = PlanStatus.Cancelled;
    }

    public static string Describe(PlanStatus status) => status switch
    {
        PlanStatus.Draft => "a draft",
        PlanStatus.Replicating => "replicating",
        PlanStatus.Paused => "paused",
        PlanStatus.CuttingOver => "cutting over",
        PlanStatus.Completed => "completed",
        PlanStatus.RolledBack => "rolled back",
        PlanStatus.Failed => "failed",
        PlanStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };

    private void Require(PlanStatus expected, string message)
    {
        if (Status != expected)
        {
            throw new DomainException($"{message} This plan is {Describe(Status)}.");
        }
    }

    private static string RequireReason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new DomainException("Give a reason.") : reason.Trim();
}
