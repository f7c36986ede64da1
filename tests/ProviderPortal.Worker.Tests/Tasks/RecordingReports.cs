using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Tests.Tasks;

/// <summary>Keeps every report in order, as the portal would receive them; a test may act on a checkpoint or a progress report.</summary>
internal sealed class RecordingReports : ITaskReports
{
    private readonly Lock _lock = new();
    private readonly List<object> _all = [];

    /// <summary>Called (awaited) on every checkpoint report, before the copy goes on.</summary>
    public Func<CheckpointReport, Task>? OnCheckpoint { get; set; }

    public TaskCompletionSource FirstProgress { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Of<T>()
    {
        lock (_lock)
        {
            return [.. _all.OfType<T>()];
        }
    }

    public Task SnapshotTakenAsync(SnapshotReport report, CancellationToken cancellationToken) => Add(report);

    public Task DiskPlannedAsync(DiskPlannedReport report, CancellationToken cancellationToken) => Add(report);

    public Task ProgressAsync(ProgressReport report, CancellationToken cancellationToken)
    {
        FirstProgress.TrySetResult();
        return Add(report);
    }

    public async Task CheckpointAsync(CheckpointReport report, CancellationToken cancellationToken)
    {
        await Add(report);
        if (OnCheckpoint is { } act)
        {
            await act(report);
        }
    }

    public Task DiskDoneAsync(DiskDoneReport report, CancellationToken cancellationToken) => Add(report);

    public Task CompletedAsync(CompletedReport report, CancellationToken cancellationToken)
    {
        Ended.TrySetResult();
        return Add(report);
    }

    public Task FailedAsync(FailedReport report, CancellationToken cancellationToken)
    {
        Ended.TrySetResult();
        return Add(report);
    }

    private Task Add(object report)
    {
        lock (_lock)
        {
            _all.Add(report);
        }

        return Task.CompletedTask;
    }
}
