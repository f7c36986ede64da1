namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// A VM under observation: where its change tracking stands (the snapshot whose change ids the next sample
/// counts from) and what the last sampling said.
/// </summary>
public sealed record AssessmentVm(string VmId, string Name)
{
    /// <summary>The snapshot the observation holds on the VM; removed when the next one is taken and when the observation ends.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Per disk key, the change id of <see cref="SnapshotId"/>.</summary>
    public Dictionary<string, string?> ChangeIds { get; init; } = [];

    public string? LastError { get; init; }

    /// <summary>Mean time the platform took to create this VM's snapshots, over <see cref="SnapshotsTimed"/> of them.</summary>
    public double MeanSnapshotSeconds { get; init; }

    public int SnapshotsTimed { get; init; }

    /// <summary>This VM with one more snapshot time in its mean.</summary>
    public AssessmentVm WithSnapshotTime(TimeSpan taken) => this with
    {
        MeanSnapshotSeconds = ((MeanSnapshotSeconds * SnapshotsTimed) + taken.TotalSeconds) / (SnapshotsTimed + 1),
        SnapshotsTimed = SnapshotsTimed + 1,
    };
}
