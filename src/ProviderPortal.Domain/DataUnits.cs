using System.Globalization;

namespace ProviderPortal.Domain;

/// <summary>
/// Sizes and rates as the portal prints them everywhere, pages and messages alike: binary units (KiB, MiB, GiB, TiB and
/// MiB/s). Link speeds and throttles are the exception, in Mbit/s (megabits, decimal), as they are typed.
/// </summary>
public static class DataUnits
{
    public static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 40):0.#} TiB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 20):0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1L << 10):0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
    };

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";
}
