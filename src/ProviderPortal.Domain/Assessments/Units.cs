using System.Globalization;

namespace ProviderPortal.Domain.Assessments;

/// <summary>How durations read in the forecast's plain-words messages (sizes and rates are <see cref="DataUnits"/>').</summary>
internal static class Units
{
    public static string Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? F(t.TotalDays) + " days"
        : t.TotalHours >= 1 ? F(t.TotalHours) + " h"
        : F(t.TotalMinutes) + " min";

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
