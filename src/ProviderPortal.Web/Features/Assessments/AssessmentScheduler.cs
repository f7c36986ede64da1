using Quartz;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// Keeps one Quartz trigger per observing assessment: the first round now (the baseline snapshots), then one every
/// interval until the period's end.
/// </summary>
public sealed class AssessmentScheduler(IServiceProvider services, IConfiguration configuration)
{
    public async Task StartAsync(Guid tenantId, Guid assessmentId, TimeSpan interval, DateTimeOffset endsAt, CancellationToken cancellationToken = default)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey(assessmentId))
            .ForJob(SampleAssessmentJob.Key)
            .UsingJobData(SampleAssessmentJob.TenantIdKey, tenantId.ToString())
            .UsingJobData(SampleAssessmentJob.AssessmentIdKey, assessmentId.ToString())
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .EndAt(endsAt + interval)
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task StopAsync(Guid assessmentId, CancellationToken cancellationToken = default) =>
        await (await SchedulerAsync(cancellationToken)).UnscheduleJob(TriggerKey(assessmentId), cancellationToken);

    private static TriggerKey TriggerKey(Guid assessmentId) => new($"assessment-{assessmentId:N}", "assessments");

    private async Task<IScheduler> SchedulerAsync(CancellationToken cancellationToken)
    {
        // The portal's scheduler is a named one: its components are registered under its name.
        var name = configuration["Scheduler:Name"] ?? "ProviderPortal";
        return await services.GetRequiredKeyedService<ISchedulerFactory>(name).GetScheduler(cancellationToken);
    }
}
