namespace ProviderPortal.Web.Components.Charts;

/// <summary>A labelled horizontal line across the chart at a value (e.g. the tenant's bandwidth cap).</summary>
public sealed record ChartLine(double Value, string Label, string? Color = null);
