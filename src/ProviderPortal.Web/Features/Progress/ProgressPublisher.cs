using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Features.Migration;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// Pushes replication progress to the browsers watching it, through <see cref="IHubContext{ProgressHub}"/>: with the
/// Redis backplane (SignalR:Redis) a publish on any portal node reaches watchers connected to every node.
/// <para>How the worker hub uses it (a singleton, also registered as <see cref="IReplicationObserver"/>):</para>
/// <list type="bullet">
/// <item><see cref="PublishCopyProgressAsync"/> for every <see cref="ProgressReport"/> a worker sends (about every 250 ms
/// per copy), after the hub checked the copy is that worker's: the report goes to group <c>plan:{planId}</c> as a
/// <see cref="CopyProgress"/>, and a slim <see cref="OperationsCopyProgress"/> (totals only) to group <c>operations</c>.
/// Nothing is stored: checkpoints are the durable progress.</item>
/// <item><see cref="PublishPlanChangedAsync"/> after the database holds a change of a copy's or a plan's state (a copy
/// completed, failed, was released; the plan paused, cut over, rolled back...): watchers reload their snapshot.</item>
/// </list>
/// Both are fire-and-report: a failing send (Redis away) is logged and never fails the worker's report.
/// The tenant id is passed in by the caller, who knows it from the copy; it is used only for the staff summary.
/// </summary>
public sealed partial class ProgressPublisher(IHubContext<ProgressHub> hub, TimeProvider clock, ILogger<ProgressPublisher> logger) : IReplicationObserver
{
    public async Task PublishCopyProgressAsync(Guid tenantId, Guid planId, Guid vmReplicationId, Guid taskId, ReplicationTaskKind kind, ProgressReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = clock.GetUtcNow();
        var disks = report.Disks.Select(d => new DiskProgress(d.DiskKey, Math.Max(0, d.BytesDone), Math.Max(0, d.BytesTotal), double.IsFinite(d.BytesPerSecond) ? Math.Max(0, d.BytesPerSecond) : 0)).ToList();
        var message = new CopyProgress(planId, vmReplicationId, taskId, kind, SafePhase(report.Phase), disks, now);
        var summary = new OperationsCopyProgress(tenantId, planId, taskId, kind, disks.Sum(d => d.BytesDone), disks.Sum(d => d.BytesTotal), disks.Sum(d => d.BytesPerSecond), now);
        try
        {
            await hub.Clients.Group(ProgressMessages.PlanGroup(planId)).SendAsync(ProgressMessages.CopyProgress, message, cancellationToken);
            await hub.Clients.Group(ProgressMessages.OperationsGroup).SendAsync(ProgressMessages.OperationsProgress, summary, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Progress of copy {TaskId} could not be passed on to its watchers", taskId);
        }
    }

    public async Task PublishPlanChangedAsync(Guid tenantId, Guid planId, CancellationToken cancellationToken = default)
    {
        try
        {
            await hub.Clients.Group(ProgressMessages.PlanGroup(planId)).SendAsync(ProgressMessages.PlanChanged, planId, cancellationToken);
            await hub.Clients.Group(ProgressMessages.OperationsGroup).SendAsync(ProgressMessages.PlanChanged, planId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "The change of plan {PlanId} (tenant {TenantId}) could not be passed on to its watchers", planId, tenantId);
        }
    }

    Task IReplicationObserver.CopyProgressAsync(Guid tenantId, Guid planId, Guid vmReplicationId, Guid taskId, ReplicationTaskKind kind, ProgressReport report) =>
        PublishCopyProgressAsync(tenantId, planId, vmReplicationId, taskId, kind, report);

    Task IReplicationObserver.PlanChangedAsync(Guid tenantId, Guid planId) => PublishPlanChangedAsync(tenantId, planId);

    /// <summary>
    /// The worker's phase is free text from another process: only a short phrase of letters passes on to browsers
    /// ("copying", "taking snapshot"), never something that could hold a path or an address.
    /// </summary>
    public static string SafePhase(string? phase) =>
        phase is { Length: > 0 and <= 40 } && PhasePattern().IsMatch(phase) ? phase : "copying";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z \-]*$")]
    private static partial Regex PhasePattern();
}
