using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Domain.Tests.Assessments;

public class AssessmentTests
{
    private static readonly AssessmentVm Vm = new("vm-1", "web-01");

    private static Assessment Observing() => Assessment.Start(Guid.NewGuid(), " Pre-flight ", [Vm], TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), Given.Now);

    [Fact]
    public void Start_Valid_ObservingUntilThePeriodEnds()
    {
        var assessment = Observing();

        Assert.Equal("Pre-flight", assessment.Name);
        Assert.True(assessment.IsObserving);
        Assert.Equal(Given.Now.AddHours(1), assessment.EndsAt);
        Assert.Equal(7, assessment.ExpectedSamples);
    }

    [Fact]
    public void RecordSample_RoundNearTheEnd_Completes()
    {
        var assessment = Observing();

        assessment.RecordSample([Vm with { SnapshotId = "s1" }], null, Given.Now.AddMinutes(50));
        Assert.True(assessment.IsObserving);
        assessment.RecordSample([Vm with { SnapshotId = "s2" }], null, Given.Now.AddMinutes(56));

        Assert.Equal(AssessmentStatus.Completed, assessment.Status);
        Assert.Equal(2, assessment.SamplesTaken);
        Assert.Equal("s2", assessment.Vms.Single().SnapshotId);
    }

    [Fact]
    public void RecordSample_EveryRoundTheSchedulerRuns_TakenNeverExceedsExpected()
    {
        // Two minutes at one a minute: the first round at the start (it starts counting), one a minute later, one at the end.
        var assessment = Assessment.Start(Guid.NewGuid(), "Short", [Vm], TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1), Given.Now);
        var rounds = 0;
        while (assessment.IsObserving)
        {
            assessment.RecordSample([Vm], null, Given.Now.AddMinutes(rounds++));
        }

        Assert.Equal(3, assessment.SamplesTaken);
        Assert.Equal(3, assessment.ExpectedSamples);
    }

    [Fact]
    public void Cancel_Twice_SecondRefused()
    {
        var assessment = Observing();
        assessment.Cancel(Given.Now);

        Assert.Equal(AssessmentStatus.Cancelled, assessment.Status);
        Assert.Contains("no longer observing", Assert.Throws<DomainException>(() => assessment.Cancel(Given.Now)).Message);
        Assert.Throws<DomainException>(() => assessment.RecordSample([Vm], null, Given.Now));
    }

    [Fact]
    public void Extend_WithinThirtyDays_MovesTheEnd()
    {
        var assessment = Observing();

        assessment.Extend(TimeSpan.FromHours(2));

        Assert.Equal(Given.Now.AddHours(3), assessment.EndsAt);
        Assert.Throws<DomainException>(() => assessment.Extend(TimeSpan.FromDays(30)));
        Assert.Throws<DomainException>(() => assessment.Extend(TimeSpan.Zero));
    }

    [Fact]
    public void Extend_ByMoreThanAnyDateHolds_RefusedInWords()
    {
        var assessment = Observing();

        Assert.Equal("An assessment can be extended by a positive time, up to 30 days of observation in all.",
            Assert.Throws<DomainException>(() => assessment.Extend(TimeSpan.MaxValue)).Message);
        Assert.Equal(Given.Now.AddHours(1), assessment.EndsAt);
    }

    [Theory]
    [InlineData(999_999_999, 1440)] // days
    [InlineData(999_999_999, 60)] // hours
    [InlineData(long.MaxValue, 1)]
    public void PeriodOf_MoreThanAnyPeriodHolds_NoneRatherThanAnOverflow(long amount, int unitMinutes) =>
        Assert.Null(Assessment.PeriodOf(amount, TimeSpan.FromMinutes(unitMinutes)));

    [Fact]
    public void PeriodOf_AnAmountOfUnits_IsThatPeriod()
    {
        Assert.Equal(TimeSpan.FromDays(30), Assessment.PeriodOf(30, TimeSpan.FromDays(1)));
        Assert.Equal(TimeSpan.FromMinutes(-5), Assessment.PeriodOf(-5, TimeSpan.FromMinutes(1)));
        Assert.Equal(Assessment.PeriodRange, Assessment.Validate("x", [Vm], TimeSpan.FromMinutes(-5), TimeSpan.FromMinutes(1))["Period"]);
    }

    [Fact]
    public void ForgetSnapshots_ClearsEveryVmsPosition()
    {
        var assessment = Observing();
        assessment.RecordSample([Vm with { SnapshotId = "s1", ChangeIds = new() { ["2000"] = "c1" } }], null, Given.Now.AddMinutes(10));

        assessment.ForgetSnapshots();

        Assert.Null(assessment.Vms.Single().SnapshotId);
        Assert.Empty(assessment.Vms.Single().ChangeIds);
    }

    [Fact]
    public void Validate_EveryProblem_OneMessageEach()
    {
        var errors = Assessment.Validate(" ", [], TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5));

        Assert.Equal(["Interval", "Name", "Period", "Vms"], errors.Keys.Order());
    }

    [Fact]
    public void ChangeSample_Rate_IsBytesOverTheInterval()
    {
        var sample = ChangeSample.Record(Guid.NewGuid(), "vm-1", "2000", Given.Now, TimeSpan.FromMinutes(5), 300L * 1024 * 1024, 1L << 30);

        Assert.Equal(1024 * 1024, sample.BytesPerSecond);
        Assert.Throws<DomainException>(() => ChangeSample.Record(Guid.NewGuid(), "vm-1", "2000", Given.Now, TimeSpan.Zero, 1, 1));
    }
}
