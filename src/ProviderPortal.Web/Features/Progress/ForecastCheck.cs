using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// The assessment's forecast for a plan against what really happened: the group's initial copy (from the first
/// baseline's start to the last one's end, once every VM has one) and its downtime (the longest of its VMs', once every
/// VM cut over). A figure is null until it is known.
/// </summary>
public sealed record ForecastCheck(TimeSpan? ForecastInitialCopy, TimeSpan? MeasuredInitialCopy, TimeSpan? ForecastDowntime, TimeSpan? MeasuredDowntime)
{
    /// <summary>Null when the plan was not made from an assessment (nothing to compare with).</summary>
    public static ForecastCheck? From(PlanProgressSnapshot plan)
    {
        if (plan.ForecastInitialCopy is null && plan.ForecastDowntime is null)
        {
            return null;
        }

        var replicated = plan.Vms.Where(v => v.VmReplicationId is not null).ToList();
        // By seed device the initial copy runs from the first load to the last ingest (shipping included, as forecast).
        var initial = plan.FinishedCopies.Where(c => c.Kind is ReplicationTaskKind.Baseline or ReplicationTaskKind.SeedLoad or ReplicationTaskKind.SeedIngest).ToList();
        var baselines = initial.Where(c => c.Kind is ReplicationTaskKind.Baseline or ReplicationTaskKind.SeedIngest).ToList();
        TimeSpan? initialCopy = replicated.Count > 0 && replicated.All(v => baselines.Any(b => b.VmReplicationId == v.VmReplicationId))
            ? baselines.Max(b => b.FinishedAt) - initial.Min(b => b.StartedAt)
            : null;
        TimeSpan? downtime = replicated.Count > 0 && replicated.All(v => v.State == VmReplicationState.Completed && v.Downtime is not null)
            ? replicated.Max(v => v.Downtime!.Value)
            : null;
        return new ForecastCheck(plan.ForecastInitialCopy, initialCopy, plan.ForecastDowntime, downtime);
    }

    /// <summary>How far the measured figure is from the forecast, as a fraction (+0.1: 10 % longer than forecast).</summary>
    public static double? Deviation(TimeSpan? forecast, TimeSpan? measured) =>
        forecast is { } f && measured is { } m && f > TimeSpan.Zero ? (m - f) / f : null;
}
