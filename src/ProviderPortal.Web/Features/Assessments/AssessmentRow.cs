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
    string? LastError);
