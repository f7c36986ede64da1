using System.Globalization;

namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// Confidence 1–5: start at 5 and take off
/// 2 when fewer than 50 % of the expected change-rate samples were taken (1 below 90 %; summed over the VMs);
/// 2 when the shortest observation is under 4 h (1 under 24 h: a day shows the daily peaks, backups included);
/// 1 when the link was not measured (the cap stands in for it). Never below 1.
/// </summary>
internal static class ConfidenceRule
{
    public static readonly TimeSpan FullDay = TimeSpan.FromHours(24);
    public static readonly TimeSpan FewHours = TimeSpan.FromHours(4);

    public static ConfidenceAssessment Assess(IReadOnlyList<VmObservation> vms, LinkObservation link)
    {
        var expected = vms.Sum(v => (long)v.Coverage.SamplesExpected);
        var taken = vms.Sum(v => (long)Math.Min(v.Coverage.SamplesTaken, v.Coverage.SamplesExpected));
        var coverage = expected == 0 ? 0 : (double)taken / expected;
        var shortest = vms.Min(v => v.Coverage.ObservedDuration);
        var measured = link.MeasuredBytesPerSecond is not null;

        var level = 5;
        var reasons = new List<string>();
        var percent = (coverage * 100).ToString("0", CultureInfo.InvariantCulture);
        if (coverage < 0.5)
        {
            level -= 2;
            reasons.Add($"Only {percent} % of the expected change-rate samples were taken.");
        }
        else if (coverage < 0.9)
        {
            level -= 1;
            reasons.Add($"{percent} % of the expected change-rate samples were taken.");
        }
        else
        {
            reasons.Add($"{percent} % of the expected change-rate samples were taken.");
        }

        if (shortest < FewHours)
        {
            level -= 2;
            reasons.Add($"The shortest observation lasted {Units.Duration(shortest)}: a day or more shows the daily peaks.");
        }
        else if (shortest < FullDay)
        {
            level -= 1;
            reasons.Add($"The shortest observation lasted {Units.Duration(shortest)}, less than a day: nightly peaks may be missing.");
        }
        else
        {
            reasons.Add($"Every VM was observed for at least {Units.Duration(shortest)}.");
        }

        if (measured)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"The link was measured ({Plural.Count(link.SampleCount, "sample")})."));
        }
        else
        {
            level -= 1;
            reasons.Add("The link was not measured: the tenant's bandwidth cap stands in for its throughput.");
        }

        return new ConfidenceAssessment(Math.Max(1, level), coverage, shortest, measured, reasons);
    }
}
