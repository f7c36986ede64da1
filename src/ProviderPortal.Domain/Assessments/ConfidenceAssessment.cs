namespace ProviderPortal.Domain.Assessments;

/// <summary>How far to trust the forecast: Level 1 (a guess) to 5 (well observed), with the reasons in plain words.</summary>
public sealed record ConfidenceAssessment(int Level, double SampleCoverage, TimeSpan ShortestObservation, bool LinkMeasured, IReadOnlyList<string> Reasons);
