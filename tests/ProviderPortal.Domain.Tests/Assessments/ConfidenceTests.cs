using ProviderPortal.Domain.Assessments;
using static ProviderPortal.Domain.Tests.Assessments.ForecastGiven;

namespace ProviderPortal.Domain.Tests.Assessments;

public class ConfidenceTests
{
    // Rule: 5, −2 below 50 % of the expected samples (−1 below 90 %), −2 under 4 h observed (−1 under 24 h), −1 link not measured; at least 1.
    [Theory]
    [InlineData(96, 96, 48, true, 5)]
    [InlineData(87, 96, 48, true, 5)]   // 90.6 % → no deduction
    [InlineData(80, 100, 48, true, 4)]  // 80 % → −1
    [InlineData(40, 100, 48, true, 3)]  // 40 % → −2
    [InlineData(96, 96, 12, true, 4)]   // under a day → −1
    [InlineData(96, 96, 2, true, 3)]    // under 4 h → −2
    [InlineData(96, 96, 48, false, 4)]  // link not measured → −1
    [InlineData(80, 100, 12, false, 2)] // −1 −1 −1
    [InlineData(10, 100, 1, false, 1)]  // 5 − 2 − 2 − 1 = 0 → 1
    [InlineData(0, 0, 0, false, 1)]     // nothing observed
    public void Compute_Coverage_ConfidenceLevel(int taken, int expected, int hours, bool linkMeasured, int level)
    {
        var vm = Vm("vm-a", GB) with { Coverage = new SampleCoverage(taken, expected, TimeSpan.FromHours(hours)) };
        var link = linkMeasured ? Link(100 * MBps) : LinkObservation.NotMeasured;

        var confidence = ForecastModel.Compute(Input(vm, Settings(), link)).Confidence;

        Assert.Equal(level, confidence.Level);
        Assert.Equal(3, confidence.Reasons.Count);
    }

    [Fact]
    public void Compute_SeveralVms_CoverageSummedAndShortestObservationCounts()
    {
        // (90 + 30) / (100 + 100) = 60 % → −1; shortest 10 h → −1; link measured: 3.
        var vms = new[]
        {
            Vm("vm-a", GB) with { Coverage = new SampleCoverage(90, 100, TimeSpan.FromHours(48)) },
            Vm("vm-b", GB) with { Coverage = new SampleCoverage(30, 100, TimeSpan.FromHours(10)) },
        };

        var confidence = ForecastModel.Compute(Input(vms)).Confidence;

        Assert.Equal(0.6, confidence.SampleCoverage, 10);
        Assert.Equal(TimeSpan.FromHours(10), confidence.ShortestObservation);
        Assert.Equal(3, confidence.Level);
    }
}
