using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Copy;

namespace ProviderPortal.Worker.Tasks;

/// <summary>
/// The tasks a worker runs at once (at most its slots), their throttles and the tenant's cap they share, and the portal's
/// commands applied to them: assign, throttle, cancel. The portal connection calls in here; tests call it directly.
/// </summary>
internal sealed class TaskHost(int slots, ISourceConnectorFactory connectors, DestinationRoots roots, ITaskReports reports, TextWriter log)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, RunningTask> _running = [];

    /// <summary>The tenant's cap, shared by every copy of this worker (set by the welcome and by <see cref="SetThrottle"/>).</summary>
    public Throttle TenantThrottle { get; } = new();

    public int Slots { get; } = slots;

    public int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>The running task's own throttle; null when the task does not run here.</summary>
    public Throttle? TaskThrottle(Guid taskId)
    {
        lock (_lock)
        {
            return _running.GetValueOrDefault(taskId)?.Throttle;
        }
    }

    /// <summary>Starts the task in the background; a task beyond the slots is refused (Failed, retryable) for another worker to take.</summary>
    public async Task AssignAsync(TaskAssignment task)
    {
        ArgumentNullException.ThrowIfNull(task);
        string? refusal = null;
        lock (_lock)
        {
            if (_running.ContainsKey(task.TaskId))
            {
                // Already running here: a repeated assignment must not start a second writer to the same target.
                log.WriteLine($"task {task.TaskId}: assigned again while it runs; the running copy goes on");
                return;
            }

            if (_running.Count >= Slots)
            {
                refusal = $"The worker already runs {Slots} copies (its slots); the task waits for another.";
            }
            else
            {
                var cancel = new CancellationTokenSource();
                var throttle = new Throttle(task.ThrottleBytesPerSecond);
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var run = RunAsync(task, throttle, started.Task, cancel);
                _running[task.TaskId] = new RunningTask(cancel, throttle, run);
                started.SetResult();
            }
        }

        if (refusal is not null)
        {
            log.WriteLine($"task {task.TaskId}: refused, all {Slots} slots busy");
            try
            {
                await reports.FailedAsync(new FailedReport(task.TaskId, refusal, Retryable: true), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The connection is going; the portal re-queues what it assigned to a lost worker anyway.
                log.WriteLine($"task {task.TaskId}: the refusal could not be reported: {ex.Message}");
            }
        }
    }

    /// <summary>A new rate for one running task, or (no task id) for the tenant's cap over all of them. Null: unlimited.</summary>
    public void SetThrottle(ThrottleUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.TaskId is not { } taskId)
        {
            TenantThrottle.BytesPerSecond = update.BytesPerSecond;
            return;
        }

        // A task that already ended or never ran here has nothing to slow down.
        TaskThrottle(taskId)?.BytesPerSecond = update.BytesPerSecond;
    }

    /// <summary>Cancels one task quietly (the portal asked; it knows).</summary>
    public void Cancel(Guid taskId)
    {
        lock (_lock)
        {
            _running.GetValueOrDefault(taskId)?.Cancel.Cancel();
        }
    }

    /// <summary>
    /// Cancels every task at once and waits until they stopped writing: when the connection is lost the portal hands the
    /// tasks to another worker, and two writers to one target must never exist.
    /// </summary>
    public async Task CancelAllAsync()
    {
        Task[] runs;
        lock (_lock)
        {
            foreach (var running in _running.Values)
            {
                running.Cancel.Cancel();
            }

            runs = [.. _running.Values.Select(r => r.Run)];
        }

        await Task.WhenAll(runs);
    }

    private async Task RunAsync(TaskAssignment task, Throttle throttle, Task started, CancellationTokenSource cancel)
    {
        // Goes on on the thread pool once the task is in the table, so the caller (the connection's receive loop) is not held up
        // and a task that ends at once still finds its entry to remove.
        await started;
        try
        {
            var executor = new TaskExecutor(connectors, roots, reports, log);
            await executor.RunAsync(task, throttle, TenantThrottle, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The executor reports its failures itself; this is a bug, and must not take the worker down.
            log.WriteLine($"task {task.TaskId}: ended unexpectedly: {ex.Message}");
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(task.TaskId);
            }

            cancel.Dispose();
        }
    }

    private sealed record RunningTask(CancellationTokenSource Cancel, Throttle Throttle, Task Run);
}
