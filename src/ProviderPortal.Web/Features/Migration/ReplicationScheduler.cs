using ProviderPortal.Web.Infrastructure.Jobs;
using Quartz;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// The Quartz side of replication: one repeating trigger per replicating plan for its delta cycles, a one-off trigger
/// per cutover, and nudges of the dispatcher when there is something new to hand out.
/// </summary>
public sealed class ReplicationScheduler(PortalScheduler portal)
{
    public static readonly JobKey DispatchJob = new("dispatch-copies", "replication");
    public static readonly JobKey CycleJob = new("run-cycle", "replication");
    public static readonly JobKey CutoverJob = new("cut-over", "replication");

    /// <summary>Queues a delta cycle of the plan every <paramref name="interval"/>, the first one interval from now.</summary>
    public async Task ScheduleCyclesAsync(Guid tenantId, Guid planId, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(CycleTrigger(planId))
            .ForJob(CycleJob)
            .UsingJobData(TenantJobData.For(tenantId, planId))
            .StartAt(DateTimeOffset.UtcNow + interval)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .Build();
        await (await portal.GetAsync(cancellationToken)).ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task StopCyclesAsync(Guid planId, CancellationToken cancellationToken = default) =>
        await (await portal.GetAsync(cancellationToken)).UnscheduleJob(CycleTrigger(planId), cancellationToken);

    /// <summary>Runs the plan's cutover now (once; a node that dies during it leaves the job to be recovered by another).</summary>
    public async Task StartCutoverAsync(Guid tenantId, Guid planId, CancellationToken cancellationToken = default)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(new TriggerKey($"cutover-{planId:N}", "replication"))
            .ForJob(CutoverJob)
            .UsingJobData(TenantJobData.For(tenantId, planId))
            .StartNow()
            .Build();
        await (await portal.GetAsync(cancellationToken)).ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }

    /// <summary>Runs a delta cycle of the plan now ("Sync now"), through the same job as the scheduled ones.</summary>
    public async Task SyncNowAsync(Guid tenantId, Guid planId, CancellationToken cancellationToken = default) =>
        await (await portal.GetAsync(cancellationToken)).TriggerJob(CycleJob, TenantJobData.For(tenantId, planId), cancellationToken);

    /// <summary>Asks the dispatcher to look at the queue now instead of at its next tick.</summary>
    public async Task NudgeDispatcherAsync(CancellationToken cancellationToken = default) =>
        await (await portal.GetAsync(cancellationToken)).TriggerJob(DispatchJob, cancellationToken);

    private static TriggerKey CycleTrigger(Guid planId) => new($"cycles-{planId:N}", "replication");
}
