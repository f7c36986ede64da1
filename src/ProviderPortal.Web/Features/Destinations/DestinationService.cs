using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Destinations;

/// <summary>
/// The provider's destination sites. Staff list them; only a ProviderAdmin adds, changes, retires and reinstates them.
/// Tenants see the sites that take new plans, by name, kind and networks only.
/// </summary>
public sealed class DestinationService(PortalDbContext db, ITenantContext scope, UserPermissions permissions, TimeProvider clock, ILogger<DestinationService> logger)
{
    private const string AdminsOnly = "Only a provider administrator can change destinations.";

    public async Task<IReadOnlyList<DestinationRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!scope.CanSeeAllTenants || !await permissions.AllowsAsync(Policies.ProviderStaff))
        {
            throw new InvalidOperationException("Destinations are listed for provider staff only.");
        }

        var sites = await db.DestinationSites.AsNoTracking().ToListAsync(cancellationToken);
        var plans = await db.MigrationPlans.AsNoTracking().Where(p => p.DestinationId != null)
            .GroupBy(p => p.DestinationId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. sites.OrderBy(s => s.Retired).ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .Select(s => new DestinationRow(s.Id, s.Name, s.Kind, s.Location, s.Networks, s.Retired, s.CreatedAt, plans.GetValueOrDefault(s.Id)))];
    }

    /// <summary>The sites a tenant can choose for a plan: not retired; name, kind and networks only.</summary>
    public async Task<IReadOnlyList<AvailableDestination>> ListAvailableAsync(CancellationToken cancellationToken = default)
    {
        var sites = await db.DestinationSites.AsNoTracking().Where(s => !s.Retired)
            .Select(s => new { s.Id, s.Name, s.Kind, s.Networks }).ToListAsync(cancellationToken);
        return [.. sites.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => new AvailableDestination(s.Id, s.Name, s.Kind, s.Networks))];
    }

    public async Task<(ServiceResult Result, Guid? Id)> CreateAsync(DestinationDetails details, CancellationToken cancellationToken = default)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return (ServiceResult.Fail(AdminsOnly), null);
        }

        if (await CheckAsync(details, null, cancellationToken) is { } refused)
        {
            return (refused, null);
        }

        var site = DestinationSite.Create(details, clock.GetUtcNow());
        db.DestinationSites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Destination {DestinationId} ({Kind}) added by {Actor}", site.Id, site.Kind, scope.ActorName);
        return (ServiceResult.Ok, site.Id);
    }

    public async Task<ServiceResult> UpdateAsync(Guid id, DestinationDetails details, CancellationToken cancellationToken = default)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return ServiceResult.Fail(AdminsOnly);
        }

        var site = await db.DestinationSites.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return NotFound();
        }

        if (await CheckAsync(details, id, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            site.Update(details);
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message, nameof(DestinationDetails.Kind));
        }

        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>A retired site takes no new plans; plans already on it keep going.</summary>
    public Task<ServiceResult> RetireAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, s => s.Retire(), cancellationToken);

    public Task<ServiceResult> ReinstateAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, s => s.Reinstate(), cancellationToken);

    private async Task<ServiceResult> ChangeAsync(Guid id, Action<DestinationSite> change, CancellationToken cancellationToken)
    {
        if (!await permissions.AllowsAsync(Policies.ProviderAdmin))
        {
            return ServiceResult.Fail(AdminsOnly);
        }

        var site = await db.DestinationSites.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return NotFound();
        }

        change(site);
        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    private async Task<ServiceResult?> CheckAsync(DestinationDetails details, Guid? id, CancellationToken cancellationToken)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        var names = await db.DestinationSites.Where(s => s.Id != id).Select(s => s.Name).ToListAsync(cancellationToken);
        return names.Contains(details.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            ? ServiceResult.Fail($"A destination named \"{details.Name.Trim()}\" already exists.", nameof(DestinationDetails.Name))
            : null;
    }

    private static ServiceResult NotFound() => ServiceResult.Fail("That destination does not exist.");
}
