namespace ProviderPortal.Web.Components.Charts;

/// <param name="Color">A CSS colour, or null for the theme's.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, string? Color = null);
