namespace ProviderPortal.Web.Components.Charts;

/// <summary>The chart types the portal draws (ApexCharts' names in the script).</summary>
public enum ChartKind
{
    Line,
    Area,
    Bar,

    /// <summary>Horizontal bars from a start to an end: a timeline.</summary>
    RangeBar,
}
