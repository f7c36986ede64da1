using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Assessments;

namespace ProviderPortal.Web.Features.Plans;

/// <summary>A tenant's migration plans; here they are made from an assessment's report, as drafts.</summary>
public sealed class PlanService(PortalDbContext db, ITenantContext tenant, AssessmentReportService reports, TimeProvider clock)
{
    public async Task<IReadOnlyList<PlanRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var environments = await db.Environments.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var plans = await db.MigrationPlans.AsNoTracking().ToListAsync(cancellationToken);

        // Only the names: where a destination keeps its disks is the provider's business.
        var destinations = await db.DestinationSites.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        return plans.OrderByDescending(p => p.CreatedAt)
            .Select(p => new PlanRow(p.Id, p.Name, environments.GetValueOrDefault(p.EnvironmentId, "(removed)"), p.Status, p.Vms, p.Method,
                p.StartOnDestination, p.RemoveSourceAfterSuccess, p.SyncIntervalMinutes, p.ThrottleMbps, p.AssessmentId,
                p.ForecastInitialCopy, p.ForecastDowntime, p.ForecastWindow, p.CreatedAt,
                p.DestinationId is { } destinationId ? destinations.GetValueOrDefault(destinationId, "(removed)") : null))
            .ToList();
    }

    /// <summary>A plan's settings and the source networks of its VMs; null when the plan is not found.</summary>
    public async Task<PlanSettings?> GetSettingsAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        return plan is null
            ? null
            : new PlanSettings(plan.Id, plan.Name, plan.Status, plan.ToDetails(), plan.DestinationId, plan.NetworkMappings, await SourceNetworksAsync(plan, cancellationToken));
    }

    /// <summary>
    /// Sets a draft's destination, network mappings and options. The destination must take new plans, and every network
    /// the group's NICs are attached to must map onto one of its networks. Nothing changes when anything is refused.
    /// </summary>
    public async Task<ServiceResult> ConfigureAsync(Guid planId, Guid destinationId, IReadOnlyList<NetworkMapping> mappings, PlanDetails details, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var plan = await db.MigrationPlans.SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return ServiceResult.Fail("That plan does not exist.");
        }

        var destination = await db.DestinationSites.AsNoTracking().SingleOrDefaultAsync(d => d.Id == destinationId, cancellationToken);
        if (destination is null)
        {
            return ServiceResult.Fail("That destination does not exist.", "Destination");
        }

        if (destination.Retired)
        {
            return ServiceResult.Fail($"The destination {destination.Name} no longer takes new plans; choose another one.", "Destination");
        }

        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return ServiceResult.Fail(errors);
        }

        if (!string.Equals(details.Name.Trim(), plan.Name, StringComparison.OrdinalIgnoreCase)
            && (await db.MigrationPlans.Where(p => p.Id != planId).Select(p => p.Name).ToListAsync(cancellationToken)).Contains(details.Name.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return ServiceResult.Fail($"A plan named \"{details.Name.Trim()}\" already exists.", nameof(PlanDetails.Name));
        }

        var chosen = new List<NetworkMapping>();
        foreach (var network in await SourceNetworksAsync(plan, cancellationToken))
        {
            var target = mappings.FirstOrDefault(m => string.Equals(m.SourceNetwork?.Trim(), network, StringComparison.Ordinal))?.DestinationNetwork?.Trim();
            if (string.IsNullOrEmpty(target))
            {
                return ServiceResult.Fail($"Choose a destination network for the source network \"{network}\".", "Mappings");
            }

            var known = destination.Networks.FirstOrDefault(n => string.Equals(n, target, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return ServiceResult.Fail($"The destination {destination.Name} has no network \"{target}\" (for the source network \"{network}\").", "Mappings");
            }

            chosen.Add(new NetworkMapping(network, known));
        }

        try
        {
            // Both check everything before they change anything, so a refusal leaves the tracked plan as it was.
            plan.SetDestination(destination.Id, chosen);
            plan.Update(details);
        }
        catch (DomainException ex)
        {
            await db.Entry(plan).ReloadAsync(cancellationToken);
            return ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>The networks the NICs of the plan's VMs are attached to, as the inventory last saw them; NICs without a network map nothing.</summary>
    private async Task<IReadOnlyList<string>> SourceNetworksAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        var ids = plan.Vms.Select(v => v.VmId).ToList();
        var vms = await db.InventoryVms.AsNoTracking()
            .Where(v => v.EnvironmentId == plan.EnvironmentId && ids.Contains(v.ExternalId))
            .ToListAsync(cancellationToken);
        return [.. vms.SelectMany(v => v.Nics).Select(n => n.Network?.Trim()).OfType<string>().Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// What the report suggests for a plan: the assessment's VMs in their order, the recommended method, the forecast's
    /// cycle interval. Null when the assessment is not found.
    /// </summary>
    public async Task<PlanDetails?> SuggestAsync(Guid assessmentId, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var report = await reports.BuildAsync(assessmentId, cancellationToken);
        if (report is null)
        {
            return null;
        }

        return new PlanDetails(
            $"{report.Assessment.Name} migration",
            [.. report.Vms.Select((v, i) => new PlanVm(v.VmId, v.Name, i + 1))],
            report.Forecast?.Method == TransferMethod.SeedDevice ? PlanMethod.SeedDevice : PlanMethod.Network,
            StartOnDestination: false,
            RemoveSourceAfterSuccess: false,
            SyncIntervalMinutes: 15,
            ThrottleMbps: null);
    }

    /// <summary>Creates a draft plan from an assessment, keeping the forecast's figures to compare with what happens.</summary>
    public async Task<(ServiceResult Result, Guid? Id)> CreateFromAssessmentAsync(Guid assessmentId, PlanDetails details, CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var report = await reports.BuildAsync(assessmentId, cancellationToken);
        if (report is null)
        {
            return (ServiceResult.Fail("That assessment does not exist."), null);
        }

        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return (ServiceResult.Fail(errors), null);
        }

        var observed = report.Vms.Select(v => v.VmId).ToHashSet(StringComparer.Ordinal);
        if (details.Vms.Any(v => !observed.Contains(v.VmId)))
        {
            return (ServiceResult.Fail("A plan made from an assessment holds only VMs the assessment observed.", nameof(PlanDetails.Vms)), null);
        }

        var names = await db.MigrationPlans.Select(p => p.Name).ToListAsync(cancellationToken);
        if (names.Contains(details.Name.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return (ServiceResult.Fail($"A plan named \"{details.Name.Trim()}\" already exists.", nameof(PlanDetails.Name)), null);
        }

        MigrationPlan plan;
        try
        {
            plan = MigrationPlan.CreateFrom(report.Assessment.EnvironmentId, assessmentId, details,
                report.Forecast?.NetworkInitialCopy, report.Forecast?.GroupDowntime, report.Forecast?.WindowLength, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return (ServiceResult.Fail(ex.Message), null);
        }

        db.MigrationPlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return (ServiceResult.Ok, plan.Id);
    }

    private Guid RequireTenant() =>
        tenant.TenantId ?? throw new InvalidOperationException("Plans belong to a tenant; this user has none.");
}
