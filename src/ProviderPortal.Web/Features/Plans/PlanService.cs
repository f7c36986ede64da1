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
        return plans.OrderByDescending(p => p.CreatedAt)
            .Select(p => new PlanRow(p.Id, p.Name, environments.GetValueOrDefault(p.EnvironmentId, "(removed)"), p.Status, p.Vms, p.Method,
                p.StartOnDestination, p.RemoveSourceAfterSuccess, p.SyncIntervalMinutes, p.ThrottleMbps, p.AssessmentId,
                p.ForecastInitialCopy, p.ForecastDowntime, p.ForecastWindow, p.CreatedAt))
            .ToList();
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
