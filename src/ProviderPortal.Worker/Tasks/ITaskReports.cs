using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Worker.Tasks;

/// <summary>
/// Where a running task reports to: the portal's worker hub (<see cref="Portal.PortalConnection"/>), or a recorder in tests.
/// Every call is awaited by the task, so a report the portal must persist (the snapshot, a checkpoint) is stored
/// before the task goes on. A call that throws means the portal did not take the report: the task stops.
/// </summary>
internal interface ITaskReports
{
    Task SnapshotTakenAsync(SnapshotReport report, CancellationToken cancellationToken);

    Task DiskPlannedAsync(DiskPlannedReport report, CancellationToken cancellationToken);

    Task ProgressAsync(ProgressReport report, CancellationToken cancellationToken);

    Task CheckpointAsync(CheckpointReport report, CancellationToken cancellationToken);

    Task DiskDoneAsync(DiskDoneReport report, CancellationToken cancellationToken);

    Task CompletedAsync(CompletedReport report, CancellationToken cancellationToken);

    Task FailedAsync(FailedReport report, CancellationToken cancellationToken);
}
