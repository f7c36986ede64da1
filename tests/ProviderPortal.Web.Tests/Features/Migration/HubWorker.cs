using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// A connection to the worker hub made the way the worker makes it (bearer token, JSON), recording what the portal
/// sends it. For tests about the hub's rules; the real worker process is tested end to end elsewhere.
/// </summary>
internal sealed class HubWorker : IAsyncDisposable
{
    private HubWorker(HubConnection connection)
    {
        Connection = connection;
        connection.On<TaskAssignment>(WorkerProtocol.Assign, a => Assignments.Enqueue(a));
        connection.On<ThrottleUpdate>(WorkerProtocol.SetThrottle, t => Throttles.Enqueue(t));
        connection.On<Guid>(WorkerProtocol.Cancel, id => Cancels.Enqueue(id));
    }

    public HubConnection Connection { get; }

    public ConcurrentQueue<TaskAssignment> Assignments { get; } = new();

    public ConcurrentQueue<ThrottleUpdate> Throttles { get; } = new();

    public ConcurrentQueue<Guid> Cancels { get; } = new();

    public static HubConnection Build(string baseUrl, string token) =>
        new HubConnectionBuilder()
            .WithUrl(baseUrl + WorkerProtocol.HubPath, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();

    /// <summary>Connects and says hello; returns the worker and the portal's welcome.</summary>
    public static async Task<(HubWorker Worker, WorkerWelcome Welcome)> ConnectAsync(string baseUrl, string token, string name = "hub test worker", int slots = 2)
    {
        var worker = new HubWorker(Build(baseUrl, token));
        await worker.Connection.StartAsync();
        var welcome = await worker.Connection.InvokeAsync<WorkerWelcome>(WorkerProtocol.Hello, new WorkerHello(name, "test", slots, Environment.ProcessId));
        return (worker, welcome);
    }

    public async Task<TaskAssignment> NextAssignmentAsync(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (Assignments.TryDequeue(out var assignment))
            {
                return assignment;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No copy was assigned within {limit.TotalSeconds:F0} s.");
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
