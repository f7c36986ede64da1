using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// The provider's seed-device catalog. Staff list every model; only a ProviderAdmin adds, changes and retires one.
/// Tenants see the models that take new orders when they order.
/// </summary>
public sealed class SeedDeviceCatalogService(PortalDbContext db, ITenantContext scope, UserPermissions permissions, ILogger<SeedDeviceCatalogService> logger)
{
    public const string AdminsOnly = "Only a provider administrator can change the device catalog.";

    public async Task<IReadOnlyList<SeedDeviceModelRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!scope.CanSeeAllTenants || !await permissions.AllowsAsync(Policies.ProviderStaff))
        {
            throw new InvalidOperationException("The whole device catalog is listed for provider staff only.");
        }

        var models = await db.SeedDeviceModels.AsNoTracking().ToListAsync(cancellationToken);
        var orders = await db.SeedDeviceOrders.AsNoTracking().GroupBy(o => o.ModelId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. models.OrderBy(m => m.Retired).ThenBy(m => m.UsableCapacityBytes).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => new SeedDeviceModelRow(m.Id, m.ToDetails(), m.Retired, orders.GetValueOrDefault(m.Id)))];
    }

    /// <summary>The models that take new orders, for a tenant's order form (no order counts: those span tenants).</summary>
    public async Task<IReadOnlyList<SeedDeviceModelRow>> ListOfferedAsync(CancellationToken cancellationToken = default)
    {
        var models = await db.SeedDeviceModels.AsNoTracking().Where(m => !m.Retired).ToListAsync(cancellationToken);
        return [.. models.OrderBy(m => m.UsableCapacityBytes).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => new SeedDeviceModelRow(m.Id, m.ToDetails(), false, 0))];
    }

    public async Task<(ServiceResult Result, Guid? Id)> CreateAsync(SeedDeviceModelDetails details, CancellationToken cancellationToken = default)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return (ServiceResult.Fail(AdminsOnly), null);
        }

        if (await CheckAsync(details, null, cancellationToken) is { } refused)
        {
            return (refused, null);
        }

        var model = SeedDeviceModel.Create(details);
        db.SeedDeviceModels.Add(model);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seed-device model {ModelId} added by {Actor}", model.Id, scope.ActorName);
        return (ServiceResult.Ok, model.Id);
    }

    /// <summary>Changes a model; orders already placed keep the name and device count they were placed with.</summary>
    public async Task<ServiceResult> UpdateAsync(Guid id, SeedDeviceModelDetails details, CancellationToken cancellationToken = default)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return ServiceResult.Fail(AdminsOnly);
        }

        var model = await db.SeedDeviceModels.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (model is null)
        {
            return NotFound();
        }

        if (await CheckAsync(details, id, cancellationToken) is { } refused)
        {
            return refused;
        }

        model.Update(details);
        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>A retired model takes no new orders and leaves the forecast; orders already placed go on.</summary>
    public async Task<ServiceResult> RetireAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return ServiceResult.Fail(AdminsOnly);
        }

        var model = await db.SeedDeviceModels.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (model is null)
        {
            return NotFound();
        }

        if (model.Retired)
        {
            return ServiceResult.Fail($"{model.Name} is already retired.");
        }

        model.Retire();
        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    private async Task<ServiceResult?> CheckAsync(SeedDeviceModelDetails details, Guid? id, CancellationToken cancellationToken)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        var names = await db.SeedDeviceModels.Where(m => m.Id != id).Select(m => m.Name).ToListAsync(cancellationToken);
        return names.Contains(details.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            ? ServiceResult.Fail($"A device model named \"{details.Name.Trim()}\" already exists.", nameof(SeedDeviceModelDetails.Name))
            : null;
    }

    private static ServiceResult NotFound() => ServiceResult.Fail("That device model does not exist.");
}
