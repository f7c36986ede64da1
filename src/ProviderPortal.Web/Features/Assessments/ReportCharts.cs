using ProviderPortal.Domain.Assessments;
using ProviderPortal.Web.Components.Charts;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>The report's two charts as data: change rate against available bandwidth, and the projected timeline.</summary>
public static class ReportCharts
{
    public static ChartSpec Rates(AssessmentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ChartSpec
        {
            Kind = ChartKind.Line,
            Height = 280,
            TimeAxis = true,
            Unit = ChartUnit.BytesPerSecond,
            ValueTitle = "bytes/s",
            Series =
            [
                new ChartSeries("Change rate (all VMs)", [.. report.ChangeRate.Select(p => ChartPoint.Timed(p.At, p.BytesPerSecond))], "#fb8c00"),
                new ChartSeries("Available bandwidth", [.. report.AvailableBandwidth.Select(p => ChartPoint.Timed(p.At, p.BytesPerSecond))], "#1e88e5"),
            ],
            Lines = [new ChartLine(report.TenantCapBytesPerSecond, "Tenant cap", "#8e24aa")],
        };
    }

    /// <summary>One row per VM (and one for the seed device), a bar per phase, in seconds from the start.</summary>
    public static ChartSpec Timeline(Forecast forecast, IReadOnlyList<ObservedVm> vms)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var names = vms.ToDictionary(v => v.VmId, v => v.Name);
        string Row(TimelineEntry e) => e.VmId is { } id ? names.GetValueOrDefault(id, id) : e.Phase is TimelinePhase.Cutover ? "Cutover (group)" : "Seed device";
        ChartSeries Phase(string name, string color, params TimelinePhase[] phases) =>
            new(name, [.. forecast.Timeline.Where(e => phases.Contains(e.Phase)).Select(e => ChartPoint.Span(Row(e), e.Start.TotalSeconds, Math.Max(e.End.TotalSeconds, e.Start.TotalSeconds + 1)))], color);

        return new ChartSpec
        {
            Kind = ChartKind.RangeBar,
            Height = Math.Clamp(80 + (40 * (vms.Count + 2)), 160, 900),
            TimeAxis = false,
            Unit = ChartUnit.Duration,
            Series =
            [
                Phase("Seed device", "#8d6e63", TimelinePhase.DeviceHandling, TimelinePhase.DeviceShipping, TimelinePhase.DeviceLoad, TimelinePhase.DeviceIngest),
                Phase("Baseline", "#1e88e5", TimelinePhase.Baseline),
                Phase("Delta cycles", "#43a047", TimelinePhase.DeltaCycle),
                Phase("Cutover", "#e53935", TimelinePhase.Cutover),
            ],
        };
    }
}
