using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>One assessment in the list.</summary>
public sealed record AssessmentRow(
    Guid Id,
    string Name,
    Guid EnvironmentId,
    string EnvironmentName,
    AssessmentStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? EndedAt,
    int VmCount,
    int SamplesTaken,
    int ExpectedSamples,
    string? LastError)
{
    /// <summary>
    /// A row stays the same row while it is the same assessment: the table keys its rows by item, so a refresh that changes a
    /// row's figures updates it in place instead of rebuilding it, and a click landing during a refresh is not lost.
    /// </summary>
    public bool Equals(AssessmentRow? other) => other is not null && other.Id == Id;

    public override int GetHashCode() => Id.GetHashCode();
}
