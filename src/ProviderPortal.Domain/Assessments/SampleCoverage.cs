namespace ProviderPortal.Domain.Assessments;

/// <summary>How much of the planned observation a VM's change-rate figures rest on.</summary>
/// <param name="SamplesTaken">Change-rate samples actually recorded.</param>
/// <param name="SamplesExpected">Samples the observation period should have produced (period / sampling interval).</param>
/// <param name="ObservedDuration">Time between the first and the last sample.</param>
public sealed record SampleCoverage(int SamplesTaken, int SamplesExpected, TimeSpan ObservedDuration)
{
    /// <summary>No observation at all: the forecast then rests on guesses and says so.</summary>
    public static readonly SampleCoverage None = new(0, 0, TimeSpan.Zero);
}
