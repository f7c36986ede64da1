using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// The names of what the progress hub sends to browsers, and of its groups. Every message carries ids and figures only:
/// no names of other tenants, no credentials, no destination paths.
/// </summary>
public static class ProgressMessages
{
    /// <summary>To group <see cref="PlanGroup"/>: a <see cref="CopyProgress"/> about every 250 ms per running copy.</summary>
    public const string CopyProgress = nameof(CopyProgress);

    /// <summary>To group <see cref="PlanGroup"/> and <see cref="OperationsGroup"/>: the plan's id; states changed, reload the snapshot.</summary>
    public const string PlanChanged = nameof(PlanChanged);

    /// <summary>To group <see cref="OperationsGroup"/>: an <see cref="OperationsCopyProgress"/> per progress report.</summary>
    public const string OperationsProgress = nameof(OperationsProgress);

    /// <summary>Provider staff's group: every tenant's copies.</summary>
    public const string OperationsGroup = "operations";

    public static string PlanGroup(Guid planId) => $"plan:{planId}";
}

/// <summary>One progress report of one running copy, as a plan's watchers receive it.</summary>
public sealed record CopyProgress(
    Guid PlanId,
    Guid VmReplicationId,
    Guid TaskId,
    ReplicationTaskKind Kind,
    string Phase,
    IReadOnlyList<DiskProgress> Disks,
    DateTimeOffset At);

public sealed record DiskProgress(string DiskKey, long BytesDone, long BytesTotal, double BytesPerSecond);

/// <summary>The slim summary staff's operations view receives: one copy's totals, with no disk detail.</summary>
public sealed record OperationsCopyProgress(
    Guid TenantId,
    Guid PlanId,
    Guid TaskId,
    ReplicationTaskKind Kind,
    long BytesDone,
    long BytesTotal,
    double BytesPerSecond,
    DateTimeOffset At);
