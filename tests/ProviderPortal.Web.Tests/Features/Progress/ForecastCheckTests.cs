using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Progress;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>The plan page's comparison of the assessment's forecast with the migration's measured figures.</summary>
public sealed class ForecastCheckTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Web = Guid.NewGuid();
    private static readonly Guid Db = Guid.NewGuid();

    private static PlanVmSnapshot Vm(Guid id, VmReplicationState state, TimeSpan? downtime) =>
        new(id, $"vm-{id:N}", "vm", 1, state, 2, null, 0, 0, downtime, null, null, 0, []);

    private static PlanProgressSnapshot Plan(IReadOnlyList<PlanVmSnapshot> vms, IReadOnlyList<FinishedCopy> copies, TimeSpan? forecastCopy, TimeSpan? forecastDowntime) =>
        new(Guid.NewGuid(), "p", PlanStatus.Replicating, null, "d", PlanMethod.Network, false, false, 15, null, T0, null, null, vms, [], copies, T0.AddHours(2), forecastCopy, forecastDowntime);

    private static FinishedCopy Baseline(Guid vm, int startMinute, int endMinute) =>
        new(vm, ReplicationTaskKind.Baseline, T0.AddMinutes(startMinute), T0.AddMinutes(endMinute), 1 << 30);

    [Fact]
    public void From_PlanWithoutForecast_IsNothingToCompare()
    {
        Assert.Null(ForecastCheck.From(Plan([Vm(Web, VmReplicationState.Syncing, null)], [Baseline(Web, 0, 10)], null, null)));
    }

    [Fact]
    public void From_EveryBaselineDone_MeasuresFromTheFirstStartToTheLastEnd_DowntimeNotYet()
    {
        var check = ForecastCheck.From(Plan(
            [Vm(Web, VmReplicationState.ReadyForCutover, null), Vm(Db, VmReplicationState.Syncing, null)],
            [Baseline(Web, 1, 20), Baseline(Db, 0, 30), new FinishedCopy(Web, ReplicationTaskKind.Delta, T0.AddMinutes(40), T0.AddMinutes(41), 1 << 20)],
            TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(3)))!;

        Assert.Equal(TimeSpan.FromMinutes(30), check.MeasuredInitialCopy);
        Assert.Null(check.MeasuredDowntime);
        Assert.Equal(0.2, ForecastCheck.Deviation(check.ForecastInitialCopy, check.MeasuredInitialCopy)!.Value, 6);
    }

    [Fact]
    public void From_ABaselineMissing_InitialCopyNotMeasuredYet()
    {
        var check = ForecastCheck.From(Plan([Vm(Web, VmReplicationState.Syncing, null), Vm(Db, VmReplicationState.Baseline, null)], [Baseline(Web, 0, 10)], TimeSpan.FromMinutes(10), null))!;

        Assert.Null(check.MeasuredInitialCopy);
    }

    [Fact]
    public void From_EveryVmCutOver_DowntimeIsTheLongestOfTheGroup()
    {
        var check = ForecastCheck.From(Plan(
            [Vm(Web, VmReplicationState.Completed, TimeSpan.FromSeconds(50)), Vm(Db, VmReplicationState.Completed, TimeSpan.FromSeconds(80))],
            [Baseline(Web, 0, 10), Baseline(Db, 0, 12)],
            TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(100)))!;

        Assert.Equal(TimeSpan.FromSeconds(80), check.MeasuredDowntime);
        Assert.Equal(-0.2, ForecastCheck.Deviation(check.ForecastDowntime, check.MeasuredDowntime)!.Value, 6);
        Assert.Null(ForecastCheck.Deviation(null, check.MeasuredDowntime));
    }
}
