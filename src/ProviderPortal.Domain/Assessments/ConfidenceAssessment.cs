namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// How far to trust the forecast: Level 1 (a guess) to 5 (well observed), with the reasons in plain words.
/// Rule: start at 5; −2 when under 50 % of the expected change-rate samples were taken over all VMs
/// (−1 under 90 %); −2 when the shortest VM observation is under 4 h (−1 under 24 h, which misses the
/// daily peaks such as backups); −1 when the link was not measured. Never below 1.
/// </summary>
/// <param name="SampleCoverage">Σ min(taken, expected) / Σ expected over the VMs, 0–1 (0 when nothing was expected).</param>
public sealed record ConfidenceAssessment(int Level, double SampleCoverage, TimeSpan ShortestObservation, bool LinkMeasured, IReadOnlyList<string> Reasons);
