using System.Globalization;

namespace ProviderPortal.Domain.Assessments;

/// <summary>How figures read in the forecast's plain-words messages (decimal units, like link speeds and disk labels).</summary>
internal static class Units
{
    public static string Bytes(double bytes) => bytes switch
    {
        >= 1e12 => F(bytes / 1e12) + " TB",
        >= 1e9 => F(bytes / 1e9) + " GB",
        >= 1e6 => F(bytes / 1e6) + " MB",
        _ => F(bytes / 1e3) + " kB",
    };

    public static string Rate(double bytesPerSecond) => F(bytesPerSecond / 1e6) + " MB/s";

    public static string Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? F(t.TotalDays) + " days"
        : t.TotalHours >= 1 ? F(t.TotalHours) + " h"
        : F(t.TotalMinutes) + " min";

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
