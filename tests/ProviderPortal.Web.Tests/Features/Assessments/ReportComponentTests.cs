using Bunit;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>The report's components rendered from forecasts of the real model: what a customer reads is what was computed.</summary>
public sealed class ReportComponentTests : BunitContext
{
    private const long GB = 1_000_000_000;
    private const double MBps = 1_000_000;

    public ReportComponentTests() => this.AddPortalComponents();

    private static VmObservation Vm(string id, long allocated, double mean, ChangeTrackingState cbt = ChangeTrackingState.Enabled, GuestToolsState tools = GuestToolsState.Running) => new()
    {
        VmId = id,
        Name = id,
        AllocatedBytes = allocated,
        CapacityBytes = 2 * allocated,
        LargestDiskBytes = allocated,
        MeanChangeBytesPerSecond = mean,
        PeakChangeBytesPerSecond = mean * 1.5,
        ChangeTracking = cbt,
        GuestTools = tools,
        Coverage = new SampleCoverage(96, 96, TimeSpan.FromDays(1)),
    };

    private static AssessmentReport Report(IReadOnlyList<SeedDeviceModel> devices, double capBytesPerSecond, params VmObservation[] vms)
    {
        var forecast = ForecastModel.Compute(new ForecastInput(vms, new LinkObservation(capBytesPerSecond * 2, 5, 0, 96),
            new ForecastSettings { TenantCapBytesPerSecond = capBytesPerSecond, ParallelCopies = 2 }, devices));
        return new AssessmentReport
        {
            Assessment = new AssessmentRow(Guid.NewGuid(), "Pre-flight", Guid.NewGuid(), "Frankfurt", AssessmentStatus.Completed, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, vms.Length, 97, 96, null),
            IsLab = false,
            Forecast = forecast,
            Vms = [.. vms.Select(v => new ObservedVm(v.VmId, v.Name, v.AllocatedBytes, v.MeanChangeBytesPerSecond, v.PeakChangeBytesPerSecond, 96, null))],
            ChangeRate = [],
            AvailableBandwidth = [],
            MeasuredBytesPerSecond = capBytesPerSecond * 2,
            TenantCapBytesPerSecond = capBytesPerSecond,
        };
    }

    [Fact]
    public void ForecastSummary_ConvergentNetworkCase_ShowsTheFiguresTheModelComputed()
    {
        var report = Report([], 100 * MBps, Vm("web-01", 100 * GB, 5 * MBps));

        var summary = Render<ForecastSummary>(p => p.Add(c => c.Report, report));

        var forecast = report.Forecast!;
        Assert.Contains(ProviderPortal.Web.Components.Shared.Figures.Duration(forecast.NetworkInitialCopy), summary.Markup);
        Assert.Contains(ProviderPortal.Web.Components.Shared.Figures.Duration(forecast.WindowLength), summary.Markup);
        Assert.Contains("Network", summary.Find("[data-testid=report-summary]").TextContent);
        Assert.Contains($"{forecast.Confidence.Level} of 5", summary.Markup);
        Assert.Equal(forecast.MethodReason, summary.Find("[data-testid=report-method]").TextContent.Trim());
        Assert.Empty(summary.FindAll("[data-testid=report-not-convergent]"));
    }

    [Fact]
    public void ForecastSummary_VmChangingFasterThanItsShare_WarnsThatDeltasWillNotShrink()
    {
        var report = Report([], 10 * MBps, Vm("db-01", 50 * GB, 30 * MBps));

        var summary = Render<ForecastSummary>(p => p.Add(c => c.Report, report));

        Assert.False(report.Forecast!.AllConvergent);
        Assert.Contains("will not shrink", summary.Find("[data-testid=report-not-convergent]").TextContent);
    }

    [Fact]
    public void ForecastSummary_SlowLinkAndBigData_RecommendsTheSeedDevice()
    {
        var device = new SeedDeviceModel("8 TB rugged disk", 8000 * GB, 2, 250 * MBps, 400 * MBps, 1);
        var report = Report([device], 5 * MBps, Vm("files-01", 6000 * GB, 0.1 * MBps));

        var summary = Render<ForecastSummary>(p => p.Add(c => c.Report, report));

        Assert.Equal(TransferMethod.SeedDevice, report.Forecast!.Method);
        Assert.Contains("Seed device ×1", summary.Find("[data-testid=report-summary]").TextContent);
    }

    [Fact]
    public void ForecastSummary_NoForecastYet_SaysWhy()
    {
        var report = Report([], 100 * MBps, Vm("web-01", GB, MBps)) with { Forecast = null, ForecastUnavailable = "The forecast appears after the second sample." };

        var summary = Render<ForecastSummary>(p => p.Add(c => c.Report, report));

        Assert.Equal("The forecast appears after the second sample.", summary.Find("[data-testid=report-no-forecast]").TextContent.Trim());
    }

    [Fact]
    public void ForecastVmTable_ReadinessFindings_ShownPerVm()
    {
        var report = Report([], 100 * MBps, Vm("ready-01", GB, MBps), Vm("legacy-01", GB, MBps, ChangeTrackingState.Disabled, GuestToolsState.NotInstalled));

        var table = Render<ForecastVmTable>(p => p.Add(c => c.Report, report));

        var rows = table.FindAll("[data-testid=report-vms] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Ready", rows.Single(r => r.TextContent.Contains("ready-01", StringComparison.Ordinal)).TextContent);
        var legacy = rows.Single(r => r.TextContent.Contains("legacy-01", StringComparison.Ordinal)).TextContent;
        foreach (var warning in report.Forecast!.Vms.Single(v => v.VmId == "legacy-01").Warnings)
        {
            Assert.Contains(warning.Message, legacy);
        }

        Assert.True(report.Forecast.Vms.Single(v => v.VmId == "legacy-01").Warnings.Count >= 2);
    }

    [Fact]
    public void ForecastVmTable_OneMeasuringRound_SaysOneRound()
    {
        var report = Report([], 100 * MBps, Vm("web-01", GB, MBps), Vm("db-01", GB, MBps));
        report = report with { Vms = [report.Vms[0] with { Rounds = 1 }, report.Vms[1] with { Rounds = 2 }] };

        var table = Render<ForecastVmTable>(p => p.Add(c => c.Report, report));

        var rows = table.FindAll("[data-testid=report-vms] tbody tr");
        Assert.Contains("(1 round)", rows.Single(r => r.TextContent.Contains("web-01", StringComparison.Ordinal)).TextContent);
        Assert.Contains("(2 rounds)", rows.Single(r => r.TextContent.Contains("db-01", StringComparison.Ordinal)).TextContent);
    }
}
