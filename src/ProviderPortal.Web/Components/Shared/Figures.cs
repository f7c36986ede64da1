using System.Globalization;
using ProviderPortal.Domain;

namespace ProviderPortal.Web.Components.Shared;

/// <summary>Sizes, rates, counts and durations as people read them (sizes and rates in the binary units of <see cref="DataUnits"/>).</summary>
public static class Figures
{
    public static string Bytes(double bytes) => DataUnits.Bytes(bytes);

    public static string Rate(double bytesPerSecond) => DataUnits.Rate(bytesPerSecond);

    /// <summary>"1 VM", "3 VMs", "1 copy", "2 copies": a count with its noun in the right number.</summary>
    public static string Count(long count, string singular, string? plural = null) => Plural.Count(count, singular, plural);

    /// <summary>"3 d 4 h", "2 h 05 min", "12 min", "40 s".</summary>
    public static string Duration(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays} d {duration.Hours} h"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes:00} min"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(duration.TotalMinutes)} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Ceiling(duration.TotalSeconds))} s"),
    };
}
