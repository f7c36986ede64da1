using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// Keeps one Quartz trigger per observing assessment: the first round now (the baseline snapshots), then one every
/// interval until the period's end.
/// </summary>
public sealed class AssessmentScheduler(PortalScheduler portal)
{
    public async Task StartAsync(Guid tenantId, Guid assessmentId, TimeSpan interval, DateTimeOffset endsAt, CancellationToken cancellationToken = default)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey(assessmentId))
            .ForJob(SampleAssessmentJob.Key)
            .UsingJobData(TenantJobData.For(tenantId, assessmentId))
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .EndAt(endsAt + interval)
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task StopAsync(Guid assessmentId, CancellationToken cancellationToken = default) =>
        await (await SchedulerAsync(cancellationToken)).UnscheduleJob(TriggerKey(assessmentId), cancellationToken);

    private static TriggerKey TriggerKey(Guid assessmentId) => new($"assessment-{assessmentId:N}", "assessments");

    private Task<IScheduler> SchedulerAsync(CancellationToken cancellationToken) => portal.GetAsync(cancellationToken);
}
