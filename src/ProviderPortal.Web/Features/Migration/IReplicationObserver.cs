using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>Told of every copy's progress and every change of a plan's state, on the node where it happened (e.g. to push it to browsers).</summary>
public interface IReplicationObserver
{
    Task CopyProgressAsync(Guid tenantId, Guid planId, Guid vmReplicationId, Guid taskId, ReplicationTaskKind kind, ProgressReport report);

    Task PlanChangedAsync(Guid tenantId, Guid planId);
}
