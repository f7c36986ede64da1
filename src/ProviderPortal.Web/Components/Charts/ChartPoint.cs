namespace ProviderPortal.Web.Components.Charts;

/// <summary>
/// One point: at a time (<see cref="At"/>) or on a category (<see cref="Category"/>), with a value, or for a range bar
/// a <see cref="From"/>–<see cref="To"/> span (in the value unit, e.g. seconds).
/// </summary>
public sealed record ChartPoint
{
    public DateTimeOffset? At { get; init; }

    public string? Category { get; init; }

    public double? Value { get; init; }

    public double? From { get; init; }

    public double? To { get; init; }

    public static ChartPoint Timed(DateTimeOffset at, double value) => new() { At = at, Value = value };

    public static ChartPoint Span(string category, double from, double to) => new() { Category = category, From = from, To = to };
}
