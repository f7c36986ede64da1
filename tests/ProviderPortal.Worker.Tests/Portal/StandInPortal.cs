using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Worker.Tests.Portal;

/// <summary>
/// A stand-in for the portal's worker hub on Kestrel, with ASP.NET Core's default JSON hub protocol (as the portal's):
/// the bearer token checked (else 401), Hello answered, every report recorded in order, and the test's own commands sent.
/// </summary>
internal sealed class StandInPortal : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandInPortal(WebApplication app, string url, StandInState state)
    {
        _app = app;
        Url = url;
        State = state;
    }

    public string Url { get; }

    public StandInState State { get; }

    public IHubContext<StandInWorkerHub> Hub => _app.Services.GetRequiredService<IHubContext<StandInWorkerHub>>();

    public static async Task<StandInPortal> StartAsync(string token, WorkerWelcome welcome)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var state = new StandInState(welcome);
        builder.Services.AddSingleton(state);
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {token}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapHub<StandInWorkerHub>(WorkerProtocol.HubPath);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StandInPortal(app, url, state);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

internal sealed class StandInState(WorkerWelcome welcome)
{
    private readonly Lock _lock = new();
    private readonly List<object> _reports = [];

    public WorkerWelcome Welcome { get; } = welcome;

    public ConcurrentQueue<WorkerHello> Hellos { get; } = new();

    /// <summary>The worker's current connection (set by each Hello), to send to and to abort.</summary>
    public HubCallerContext? Caller { get; set; }

    public IReadOnlyList<object> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    public void Add(object report)
    {
        lock (_lock)
        {
            _reports.Add(report);
        }
    }
}

internal sealed class StandInWorkerHub : Hub
{
    private readonly StandInState _state;

    public StandInWorkerHub(StandInState state) => _state = state;

    public WorkerWelcome Hello(WorkerHello hello)
    {
        _state.Hellos.Enqueue(hello);
        _state.Caller = Context;
        return _state.Welcome;
    }

    public void SnapshotTaken(SnapshotReport report) => _state.Add(report);

    public void DiskPlanned(DiskPlannedReport report) => _state.Add(report);

    public void Progress(ProgressReport report) => _state.Add(report);

    public void Checkpoint(CheckpointReport report) => _state.Add(report);

    public void DiskDone(DiskDoneReport report) => _state.Add(report);

    public void Completed(CompletedReport report) => _state.Add(report);

    public void Failed(FailedReport report) => _state.Add(report);
}
