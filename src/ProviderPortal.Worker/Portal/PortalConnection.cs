using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Cli;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Portal;

/// <summary>
/// The worker's connection to the portal's worker hub: outbound, with the tenant token as bearer, reconnecting forever
/// (except when the portal refuses the token). Says Hello on every (re)connect, runs what the portal assigns through a
/// <see cref="TaskHost"/>, and reports back. A lost connection cancels every copy at once: the portal re-queues them.
/// </summary>
internal sealed class PortalConnection : ITaskReports, IAsyncDisposable
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(10);

    private readonly HubConnection _connection;
    private readonly Uri _hubUrl;
    private readonly WorkerHello _hello;
    private readonly DestinationRoots _roots;
    private readonly TextWriter _log;
    private readonly TaskHost _host;
    private TaskCompletionSource _closed = NewSignal();
    private volatile bool _unauthorized;

    public PortalConnection(Uri hubUrl, string token, WorkerHello hello, DestinationRoots roots, ISourceConnectorFactory connectors, TextWriter log)
    {
        _hubUrl = hubUrl;
        _hello = hello;
        _roots = roots;
        _log = log;
        _host = new TaskHost(hello.Slots, connectors, roots, this, log);
        _connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect(new RetryForever(this))
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, WorkerProtocolJson.Default))
            .Build();

        // Handlers return at once (a task runs in the background), so the connection's receive loop is never held up.
        _connection.On<TaskAssignment>(WorkerProtocol.Assign, task => _host.AssignAsync(task));
        _connection.On<ThrottleUpdate>(WorkerProtocol.SetThrottle, update => _host.SetThrottle(update));
        _connection.On<Guid>(WorkerProtocol.Cancel, taskId => _host.Cancel(taskId));
        _connection.Reconnecting += OnReconnectingAsync;
        _connection.Reconnected += OnReconnectedAsync;
        _connection.Closed += OnClosedAsync;
    }

    /// <summary>Connects and serves until <paramref name="cancellationToken"/> (then copies stop, checkpoints kept: exit 0) or a refused token (exit 3).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            _closed = NewSignal();
            string why;
            try
            {
                await _connection.StartAsync(cancellationToken);
                await HelloAsync(cancellationToken);
                var welcomed = Stopwatch.GetTimestamp();
                await _closed.Task.WaitAsync(cancellationToken);
                if (_unauthorized)
                {
                    return Unauthorized();
                }

                // A session that lasted resets the backoff; one closed soon after each hello must not spin.
                failures = Stopwatch.GetElapsedTime(welcomed) > s_maxBackoff ? 0 : failures;
                why = "the connection to the portal closed";
            }
            catch (Exception ex) when (IsUnauthorized(ex))
            {
                return Unauthorized();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The portal is down, restarting or unreachable, or refused the hello.
                why = $"cannot reach the portal at {_hubUrl}: {ex.Message}";
                await StopQuietlyAsync();
            }

            var delay = Backoff(failures++);
            Log(string.Create(CultureInfo.InvariantCulture, $"{why}; trying again in {delay.TotalSeconds:F1} s"));
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Log("stopping: every copy is cancelled, its checkpoints stay with the portal");
        await _host.CancelAllAsync();
        await StopQuietlyAsync();
        return WorkerCommands.ExitOk;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.CancelAllAsync();
        await _connection.DisposeAsync();
    }

    public Task SnapshotTakenAsync(SnapshotReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.SnapshotTaken, report, cancellationToken);

    public Task DiskPlannedAsync(DiskPlannedReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.DiskPlanned, report, cancellationToken);

    /// <summary>Progress is not acknowledged: a lost one is replaced by the next a quarter second later.</summary>
    public Task ProgressAsync(ProgressReport report, CancellationToken cancellationToken) =>
        _connection.SendAsync(WorkerProtocol.Progress, report, cancellationToken);

    public Task CheckpointAsync(CheckpointReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.Checkpoint, report, cancellationToken);

    public Task DiskDoneAsync(DiskDoneReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.DiskDone, report, cancellationToken);

    public Task CompletedAsync(CompletedReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.Completed, report, cancellationToken);

    public Task FailedAsync(FailedReport report, CancellationToken cancellationToken) =>
        _connection.InvokeAsync(WorkerProtocol.Failed, report, cancellationToken);

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var welcome = await _connection.InvokeAsync<WorkerWelcome>(WorkerProtocol.Hello, _hello, cancellationToken);
        _roots.SetPortalRoots(welcome.DestinationRoots);
        _host.TenantThrottle.BytesPerSecond = welcome.TenantBytesPerSecond is > 0 ? welcome.TenantBytesPerSecond : null;
        Log($"connected for tenant {welcome.TenantName} (session {welcome.SessionId}), {_hello.Slots} slots, " +
            $"tenant cap {(welcome.TenantBytesPerSecond is > 0 ? $"{welcome.TenantBytesPerSecond} bytes/s" : "none")}, " +
            $"file targets under: {(_roots.Current.Count == 0 ? "(none)" : string.Join(", ", _roots.Current))}");
    }

    private async Task OnReconnectingAsync(Exception? error)
    {
        Log($"lost the portal ({error?.Message ?? "closed"}); cancelling every copy and reconnecting");
        await _host.CancelAllAsync();
    }

    private async Task OnReconnectedAsync(string? connectionId)
    {
        try
        {
            await HelloAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Without a session the portal assigns nothing: start over through the main loop.
            Log($"the portal did not welcome this worker again: {ex.Message}");
            _ = StopQuietlyAsync();
        }
    }

    private async Task OnClosedAsync(Exception? error)
    {
        await _host.CancelAllAsync();
        _closed.TrySetResult();
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await _connection.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log($"the connection did not close cleanly: {ex.Message}");
        }
    }

    private int Unauthorized()
    {
        _log.WriteLine("error: the portal refused this worker's token (HTTP 401): it is wrong or was revoked. Not retrying.");
        return WorkerCommands.ExitUnauthorized;
    }

    /// <summary>Whether the portal said 401: a bad or revoked token, which no retry can fix.</summary>
    internal static bool IsUnauthorized(Exception? error)
    {
        for (var ex = error; ex is not null; ex = ex.InnerException)
        {
            if (ex is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>0.5 s, 1 s, 2 s … up to 10 s, each a little shorter at random so that workers do not all come back at once.</summary>
    internal static TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(s_maxBackoff.TotalSeconds, 0.5 * Math.Pow(2, Math.Min(failures, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.2 * Random.Shared.NextDouble())));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Log(string message) => _log.WriteLine(message);

    /// <summary>Reconnects forever with backoff; gives up only on a refused token, which ends the process (exit 3).</summary>
    private sealed class RetryForever(PortalConnection owner) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext)
        {
            if (IsUnauthorized(retryContext.RetryReason))
            {
                owner._unauthorized = true;
                return null;
            }

            return Backoff((int)Math.Min(retryContext.PreviousRetryCount, int.MaxValue));
        }
    }
}
