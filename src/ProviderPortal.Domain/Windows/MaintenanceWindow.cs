namespace ProviderPortal.Domain.Windows;

/// <summary>
/// A tenant's cutover window for one plan, in UTC, shown in the tenant's time zone. Booked by the tenant (checked against
/// <see cref="BookingRules"/> by the caller), approved or rejected by provider staff, who may also propose another time.
/// States and transitions in <see cref="MaintenanceWindowStatus"/>; anything else throws with the current state named.
/// </summary>
public sealed class MaintenanceWindow : ITenantOwned
{
    public const int MaxReasonLength = 500;

    private MaintenanceWindow()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PlanId { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public DateTimeOffset EndsAt { get; private set; }

    /// <summary>The tenant's time zone: every time of the window is shown to its users in it.</summary>
    public string TimeZoneId { get; private set; } = "UTC";

    public MaintenanceWindowStatus Status { get; private set; }

    public string RequestedBy { get; private set; } = "";

    public DateTimeOffset RequestedAt { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Why it was rejected, cancelled, missed or failed.</summary>
    public string? Reason { get; private set; }

    /// <summary>Another time proposed by staff, waiting for the tenant to accept it (or move the window).</summary>
    public DateTimeOffset? ProposedStartsAt { get; private set; }

    public DateTimeOffset? ProposedEndsAt { get; private set; }

    /// <summary>Set when the plan's baselines will not be done by the start: the window may be missed.</summary>
    public string? AtRiskReason { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The reminders already sent before the start, as hours before it (24, 1): each goes out once.</summary>
    public List<int> RemindersSent { get; private set; } = [];

    public TimeSpan Duration => EndsAt - StartsAt;

    /// <summary>Requested and approved windows hold the provider's capacity.</summary>
    public bool HoldsCapacity => Status is MaintenanceWindowStatus.Requested or MaintenanceWindowStatus.Approved;

    public static MaintenanceWindow Request(Guid planId, DateTimeOffset startsAt, DateTimeOffset endsAt, string timeZoneId, string requestedBy, DateTimeOffset now)
    {
        RequireOrder(startsAt, endsAt);
        return new MaintenanceWindow
        {
            Id = Guid.NewGuid(),
            PlanId = planId,
            StartsAt = startsAt.ToUniversalTime(),
            EndsAt = endsAt.ToUniversalTime(),
            TimeZoneId = RequireTimeZone(timeZoneId),
            Status = MaintenanceWindowStatus.Requested,
            RequestedBy = requestedBy,
            RequestedAt = now,
        };
    }

    /// <summary>Staff: Requested → Approved.</summary>
    public void Approve(string by, DateTimeOffset now)
    {
        Require("be approved", MaintenanceWindowStatus.Requested);
        Status = MaintenanceWindowStatus.Approved;
        Decide(by, now, null);
        ProposedStartsAt = null;
        ProposedEndsAt = null;
    }

    /// <summary>Staff: Requested → Rejected, with a reason the tenant reads.</summary>
    public void Reject(string by, string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        Require("be rejected", MaintenanceWindowStatus.Requested);
        Status = MaintenanceWindowStatus.Rejected;
        Decide(by, now, why);
    }

    /// <summary>Staff: proposes another time for a requested window; it stays Requested until the tenant accepts or moves it.</summary>
    public void Propose(DateTimeOffset startsAt, DateTimeOffset endsAt, string by, DateTimeOffset now)
    {
        RequireOrder(startsAt, endsAt);
        Require("get another time proposed", MaintenanceWindowStatus.Requested);
        ProposedStartsAt = startsAt.ToUniversalTime();
        ProposedEndsAt = endsAt.ToUniversalTime();
        Decide(by, now, null);
    }

    /// <summary>Tenant: takes the staff's proposed time; the window is then requested at that time (staff approve it as proposed).</summary>
    public void AcceptProposal()
    {
        Require("accept a proposal", MaintenanceWindowStatus.Requested);
        if (ProposedStartsAt is not { } start || ProposedEndsAt is not { } end)
        {
            throw new DomainException("No other time was proposed for this window.");
        }

        StartsAt = start;
        EndsAt = end;
        RemindersSent = [];
        ProposedStartsAt = null;
        ProposedEndsAt = null;
    }

    /// <summary>Tenant: moves a requested or approved window; an approved one needs approving again.</summary>
    public void Reschedule(DateTimeOffset startsAt, DateTimeOffset endsAt, string by, DateTimeOffset now)
    {
        RequireOrder(startsAt, endsAt);
        Require("be moved", MaintenanceWindowStatus.Requested, MaintenanceWindowStatus.Approved);
        StartsAt = startsAt.ToUniversalTime();
        EndsAt = endsAt.ToUniversalTime();
        Status = MaintenanceWindowStatus.Requested;
        RequestedBy = by;
        RequestedAt = now;
        DecidedBy = null;
        DecidedAt = null;
        ProposedStartsAt = null;
        ProposedEndsAt = null;
        AtRiskReason = null;
        RemindersSent = [];
    }

    /// <summary>Tenant: gives a requested or approved window up before it starts.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        Require("be cancelled", MaintenanceWindowStatus.Requested, MaintenanceWindowStatus.Approved);
        Status = MaintenanceWindowStatus.Cancelled;
        Reason = why;
        EndedAt = now;
    }

    /// <summary>
    /// The reminder due now for an approved window: the smallest of <paramref name="hoursBefore"/> whose time has come,
    /// unless it was sent already; it and every larger one are then marked sent, so each reminder goes out at most once
    /// and a job that ran late sends one reminder, not several. Null when none is due.
    /// </summary>
    public int? TakeDueReminder(IReadOnlyCollection<int> hoursBefore, DateTimeOffset now)
    {
        if (Status != MaintenanceWindowStatus.Approved || now >= StartsAt)
        {
            return null;
        }

        var due = hoursBefore.Where(h => now >= StartsAt.AddHours(-h)).OrderBy(h => h).ToList();
        if (due.Count == 0 || RemindersSent.Contains(due[0]))
        {
            return null;
        }

        RemindersSent = [.. RemindersSent, .. due.Where(h => !RemindersSent.Contains(h))];
        return due[0];
    }

    /// <summary>Sets or clears the at-risk flag (see <see cref="BookingRules.AtRisk"/>).</summary>
    public void FlagRisk(string? reason) => AtRiskReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();

    /// <summary>Approved → InProgress at its start: the plan's cutover begins.</summary>
    public void Begin(DateTimeOffset now)
    {
        Require("start", MaintenanceWindowStatus.Approved);
        if (now < StartsAt)
        {
            throw new DomainException("The window has not started yet.");
        }

        Status = MaintenanceWindowStatus.InProgress;
        StartedAt = now;
    }

    /// <summary>Requested → Missed: its start came and nobody had approved it; it holds no capacity any more.</summary>
    public void Expire(DateTimeOffset now)
    {
        Require("expire", MaintenanceWindowStatus.Requested);
        if (now < StartsAt)
        {
            throw new DomainException("The window has not started yet.");
        }

        Status = MaintenanceWindowStatus.Missed;
        Reason = "Its start came before it was approved.";
        EndedAt = now;
    }

    /// <summary>Approved → Missed: the start passed and the plan was not ready for its cutover.</summary>
    public void Miss(string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        Require("be missed", MaintenanceWindowStatus.Approved);
        Status = MaintenanceWindowStatus.Missed;
        Reason = why;
        EndedAt = now;
    }

    /// <summary>InProgress → Completed: the cutover succeeded.</summary>
    public void Complete(DateTimeOffset now)
    {
        Require("complete", MaintenanceWindowStatus.InProgress);
        Status = MaintenanceWindowStatus.Completed;
        EndedAt = now;
    }

    /// <summary>InProgress → Failed: the cutover rolled back or failed.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        Require("fail", MaintenanceWindowStatus.InProgress);
        Status = MaintenanceWindowStatus.Failed;
        Reason = why;
        EndedAt = now;
    }

    private void Decide(string by, DateTimeOffset now, string? reason)
    {
        DecidedBy = by;
        DecidedAt = now;
        Reason = reason;
    }

    private void Require(string action, params MaintenanceWindowStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new DomainException($"A window that is {Status.ToString().ToLowerInvariant()} cannot {action}.");
        }
    }

    private static void RequireOrder(DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        if (endsAt <= startsAt)
        {
            throw new DomainException("The window must end after it starts.");
        }
    }

    private static string RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Give a reason.");
        }

        var trimmed = reason.Trim();
        return trimmed.Length > MaxReasonLength ? throw new DomainException($"The reason can be at most {MaxReasonLength} characters.") : trimmed;
    }

    private static string RequireTimeZone(string timeZoneId)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId).Id;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new DomainException($"\"{timeZoneId}\" is not a time zone; use an IANA name such as Europe/Paris.");
        }
    }
}
