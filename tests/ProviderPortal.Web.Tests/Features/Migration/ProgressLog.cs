using System.Collections.Concurrent;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Features.Migration;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>Records what the portal passes on to watchers: every copy's progress reports and every plan change.</summary>
public sealed class ProgressLog : IReplicationObserver
{
    public ConcurrentQueue<(Guid TaskId, DateTimeOffset At, ProgressReport Report)> Reports { get; } = new();

    public ConcurrentQueue<Guid> PlanChanges { get; } = new();

    public Task CopyProgressAsync(Guid tenantId, Guid planId, Guid vmReplicationId, Guid taskId, ReplicationTaskKind kind, ProgressReport report)
    {
        Reports.Enqueue((taskId, DateTimeOffset.UtcNow, report));
        return Task.CompletedTask;
    }

    public Task PlanChangedAsync(Guid tenantId, Guid planId)
    {
        PlanChanges.Enqueue(planId);
        return Task.CompletedTask;
    }

    /// <summary>The most bytes done the copy reported so far.</summary>
    public long BytesDone(Guid taskId) =>
        Reports.Where(r => r.TaskId == taskId).Select(r => r.Report.Disks.Sum(d => d.BytesDone)).DefaultIfEmpty(0).Max();
}
