using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// The provider's seed-device catalog as the forecast sees it: the models of the database that take new orders.
/// <c>Assessments:SeedDevices</c> in configuration only fills an empty catalog on first run (<see cref="FromConfiguration"/>);
/// a ProviderAdmin manages it from then on.
/// </summary>
public sealed class SeedDeviceCatalog(PortalDbContext db)
{
    public async Task<IReadOnlyList<Domain.Assessments.SeedDeviceModel>> DevicesAsync(CancellationToken cancellationToken = default)
    {
        var models = await db.SeedDeviceModels.AsNoTracking().Where(m => !m.Retired).ToListAsync(cancellationToken);
        return [.. models.OrderBy(m => m.UsableCapacityBytes).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Select(m => m.ToForecastDevice())];
    }

    /// <summary>
    /// The configured models: sizes in GB (10^9 bytes), speeds in MB/s (10^6 bytes/s), times in days. Entries the
    /// catalog would refuse are left out.
    /// </summary>
    public static IReadOnlyList<SeedDeviceModelDetails> FromConfiguration(IConfiguration configuration) =>
        [.. configuration.GetSection("Assessments:SeedDevices").GetChildren()
            .Select(d => new SeedDeviceModelDetails(
                d["Name"] ?? "Seed device",
                (long)(d.GetValue("CapacityGB", 0d) * 1e9),
                (long)(d.GetValue("LoadMBps", 200d) * 1e6),
                (int)Math.Round(d.GetValue("ShippingDaysEachWay", 2d)),
                (long)(d.GetValue("IngestMBps", 400d) * 1e6),
                (int)Math.Round(d.GetValue("HandlingDays", 1d))))
            .Where(d => d.Validate().Count == 0)];
}
