using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// One sampling round of one assessment, inside its tenant (from the JobDataMap). The round that ends the period
/// completes the assessment and removes its snapshots from the VMs.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SampleAssessmentJob(
    TenantScope scope,
    PortalDbContext db,
    EnvironmentConnections connections,
    AssessmentSampler sampler,
    AssessmentScheduler scheduler,
    ILogger<SampleAssessmentJob> logger) : IJob
{
    public static readonly JobKey Key = new("sample-assessment", "assessments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!TenantJobData.TryRead(context, out var tenantId, out var assessmentId))
        {
            logger.LogError("An assessment sample was started without a tenant or assessment id; nothing was done.");
            return;
        }

        scope.UseTenant(tenantId, "assessment sampling");
        var assessment = await db.Assessments.FindAsync([assessmentId], cancellationToken);
        if (assessment is null || !assessment.IsObserving)
        {
            await scheduler.StopAsync(assessmentId, cancellationToken);
            return;
        }

        var environment = await db.Environments.FindAsync([assessment.EnvironmentId], cancellationToken);
        if (environment is null)
        {
            return;
        }

        try
        {
            await using var connector = connections.Create(environment);
            await sampler.SampleAsync(assessment, environment, connector, cancellationToken);
            if (!assessment.IsObserving)
            {
                await sampler.ReleaseAsync(assessment, connector, cancellationToken);
                await scheduler.StopAsync(assessmentId, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("Sampling assessment {AssessmentId} failed: {Kind}: {Message}", assessmentId, ex.Kind, ex.Message);
        }
    }
}
