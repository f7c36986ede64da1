using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Features.Environments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// A tenant's assessments: start an observation of chosen VMs (changed-block tracking is switched on where it is
/// off), cancel or extend it. The tenant filter hides other tenants' assessments: their ids are not found.
/// </summary>
public sealed class AssessmentService(
    PortalDbContext db,
    ITenantContext tenant,
    EnvironmentConnections connections,
    AssessmentSampler sampler,
    AssessmentScheduler scheduler,
    TimeProvider clock)
{
    private const string NotFound = "That assessment does not exist.";

    public async Task<IReadOnlyList<AssessmentRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        RequireTenant();
        var environments = await db.Environments.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var assessments = await db.Assessments.AsNoTracking().ToListAsync(cancellationToken);
        return assessments
            .OrderByDescending(a => a.StartedAt)
            .Select(a => new AssessmentRow(a.Id, a.Name, a.EnvironmentId, environments.GetValueOrDefault(a.EnvironmentId, "(removed)"), a.Status,
                a.StartedAt, a.EndsAt, a.EndedAt, a.Vms.Count, a.SamplesTaken, a.ExpectedSamples, a.LastError))
            .ToList();
    }

    /// <summary>
    /// Starts observing <paramref name="vmIds"/> (all VMs of the environment when empty) for <paramref name="period"/>,
    /// a sample every <paramref name="interval"/>. The first round runs at once and takes the baseline snapshots.
    /// </summary>
    public async Task<(ServiceResult Result, Guid? Id)> StartAsync(Guid environmentId, string name, IReadOnlyCollection<string> vmIds, TimeSpan period, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var tenantId = RequireTenant();
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == environmentId, cancellationToken);
        if (environment is null)
        {
            return (ServiceResult.Fail("That environment does not exist.", "Environment"), null);
        }

        if (environment.Status == EnvironmentStatus.Unverified || environment.LastSyncSucceededAt is null)
        {
            return (ServiceResult.Fail($"{environment.Name} has no inventory yet: test its connection and sync it first.", "Environment"), null);
        }

        var inventory = await db.InventoryVms.AsNoTracking().Where(v => v.EnvironmentId == environmentId).ToListAsync(cancellationToken);
        var chosen = vmIds.Count == 0 ? inventory : inventory.Where(v => vmIds.Contains(v.ExternalId)).ToList();
        if (vmIds.Count > 0 && chosen.Count != vmIds.Distinct().Count())
        {
            return (ServiceResult.Fail("Some of the chosen VMs are no longer in the inventory; sync the environment and choose again.", "Vms"), null);
        }

        var vms = chosen.OrderBy(v => v.Name).Select(v => new AssessmentVm(v.ExternalId, v.Name)).ToList();
        var errors = Assessment.Validate(name, vms, period, interval);
        if (errors.Count > 0)
        {
            return (ServiceResult.Fail(errors), null);
        }

        // Observation counts changed blocks, so tracking must be on; the start dialog says so before it happens.
        await using (var connector = connections.Create(environment))
        {
            foreach (var vm in chosen.Where(v => v.ChangeTracking != ChangeTrackingState.Enabled))
            {
                try
                {
                    await connector.EnableChangeTrackingAsync(vm.ExternalId, cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    return (ServiceResult.Fail($"Changed-block tracking could not be switched on for {vm.Name}: {ex.Message}", "Vms"), null);
                }
            }
        }

        var assessment = Assessment.Start(environmentId, name, vms, period, interval, clock.GetUtcNow());
        db.Assessments.Add(assessment);
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.StartAsync(tenantId, assessment.Id, interval, assessment.EndsAt, cancellationToken);
        return (ServiceResult.Ok, assessment.Id);
    }

    /// <summary>Stops an observation now; its samples stay and still make a forecast; its snapshots are removed.</summary>
    public async Task<ServiceResult> CancelAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var assessment = await FindAsync(id, cancellationToken);
        if (assessment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        try
        {
            assessment.Cancel(clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        await scheduler.StopAsync(id, cancellationToken);
        if (await db.Environments.SingleOrDefaultAsync(e => e.Id == assessment.EnvironmentId, cancellationToken) is { } environment)
        {
            await using var connector = connections.Create(environment);
            await sampler.ReleaseAsync(assessment, connector, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    /// <summary>Observes longer; sampling goes on at the same interval until the new end.</summary>
    public async Task<ServiceResult> ExtendAsync(Guid id, TimeSpan more, CancellationToken cancellationToken = default)
    {
        var tenantId = RequireTenant();
        var assessment = await FindAsync(id, cancellationToken);
        if (assessment is null)
        {
            return ServiceResult.Fail(NotFound);
        }

        try
        {
            assessment.Extend(more);
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await scheduler.StartAsync(tenantId, assessment.Id, assessment.SampleInterval, assessment.EndsAt, cancellationToken);
        return ServiceResult.Ok;
    }

    private Task<Assessment?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        RequireTenant();
        return db.Assessments.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    private Guid RequireTenant() =>
        tenant.TenantId ?? throw new InvalidOperationException("Assessments belong to a tenant; this user has none.");
}
