using System.Globalization;

namespace ProviderPortal.Domain;

/// <summary>A count with its noun in the right number, wherever the portal prints one: "1 round", "3 rounds", "2 copies".</summary>
public static class Plural
{
    public static string Count(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}");
}
