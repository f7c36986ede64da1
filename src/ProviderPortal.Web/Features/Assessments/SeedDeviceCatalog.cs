using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// The provider's seed-device catalog, from configuration (<c>Assessments:SeedDevices</c>) until the device-order
/// feature manages it. Sizes in GB (10^9 bytes), speeds in MB/s (10^6 bytes/s), times in days.
/// </summary>
public sealed class SeedDeviceCatalog(IConfiguration configuration)
{
    public IReadOnlyList<SeedDeviceModel> Devices { get; } = configuration.GetSection("Assessments:SeedDevices").GetChildren()
        .Select(d => new SeedDeviceModel(
            d["Name"] ?? "Seed device",
            (long)(d.GetValue("CapacityGB", 0d) * 1e9),
            d.GetValue("ShippingDaysEachWay", 2d),
            d.GetValue("LoadMBps", 200d) * 1e6,
            d.GetValue("IngestMBps", 400d) * 1e6,
            d.GetValue("HandlingDays", 1d)))
        .Where(d => d.CapacityBytes > 0 && d.LoadBytesPerSecond > 0 && d.IngestBytesPerSecond > 0)
        .ToList();
}
