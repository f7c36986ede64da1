namespace ProviderPortal.Web.Components.Charts;

/// <summary>Everything a chart shows. Equal specs draw the same chart; a changed spec updates it in place.</summary>
public sealed record ChartSpec
{
    public ChartKind Kind { get; init; } = ChartKind.Line;

    public int Height { get; init; } = 300;

    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    /// <summary>True for a time axis (points carry <see cref="ChartPoint.At"/>), false for categories.</summary>
    public bool TimeAxis { get; init; } = true;

    public ChartUnit Unit { get; init; } = ChartUnit.Plain;

    public string? ValueTitle { get; init; }

    public IReadOnlyList<ChartLine> Lines { get; init; } = [];

    public bool Dark { get; init; }
}
