namespace ProviderPortal.Web.Components.Charts;

/// <summary>How the value axis and tooltips format numbers; the formatting itself lives in the chart's script.</summary>
public enum ChartUnit
{
    Plain,

    /// <summary>Bytes, shown in binary units (MiB, GiB).</summary>
    Bytes,

    /// <summary>Bytes per second, shown as MiB/s.</summary>
    BytesPerSecond,

    /// <summary>Seconds, shown as "1 h 20 min".</summary>
    Duration,
}
