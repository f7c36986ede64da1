using System.Text.Json;
using Bunit;
using ProviderPortal.Web.Components.Charts;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Charts;

/// <summary>The chart wrapper: the spec reaches the script as data, a change updates the same chart, dispose destroys it.</summary>
public sealed class ApexChartTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;

    public ApexChartTests()
    {
        this.AddPortalComponents();
        _module = JSInterop.SetupModule(ApexChart.ModulePath);
        _module.SetupModule(invocation => invocation.Identifier == "create");
        _module.SetupVoid("update").SetVoidResult();
        _module.SetupVoid("destroy").SetVoidResult();
    }

    private static ChartSpec Spec(double value) => new()
    {
        Kind = ChartKind.Line,
        Unit = ChartUnit.BytesPerSecond,
        Series = [new ChartSeries("Change rate", [ChartPoint.Timed(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), value)])],
        Lines = [new ChartLine(125_000_000, "Tenant cap")],
    };

    [Fact]
    public void Render_Spec_CreatesOneChartWithTheSeriesUnitAndLine()
    {
        Render<ApexChart>(p => p.Add(c => c.Spec, Spec(42)).Add(c => c.TestId, "chart"));

        var create = Assert.Single(_module.Invocations["create"]);
        using var json = JsonDocument.Parse((string)create.Arguments[1]!);
        var root = json.RootElement;
        Assert.Equal("line", root.GetProperty("kind").GetString());
        Assert.Equal("bytesPerSecond", root.GetProperty("unit").GetString());
        Assert.Equal("Change rate", root.GetProperty("series")[0].GetProperty("name").GetString());
        Assert.Equal(42, root.GetProperty("series")[0].GetProperty("points")[0].GetProperty("value").GetDouble());
        Assert.Equal("Tenant cap", root.GetProperty("lines")[0].GetProperty("label").GetString());
    }

    [Fact]
    public void SpecChanges_UpdatesTheSameChartInsteadOfCreatingAnother()
    {
        var chart = Render<ApexChart>(p => p.Add(c => c.Spec, Spec(1)));

        chart.Render(p => p.Add(c => c.Spec, Spec(2)));
        chart.Render(p => p.Add(c => c.Spec, Spec(2)));

        Assert.Single(_module.Invocations["create"]);
        var update = Assert.Single(_module.Invocations["update"]);
        Assert.Contains("\"value\":2", (string)update.Arguments[1]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_DestroysTheChart()
    {
        var chart = Render<ApexChart>(p => p.Add(c => c.Spec, Spec(1)));

        await chart.Instance.DisposeAsync();

        Assert.Single(_module.Invocations["destroy"]);
    }
}
