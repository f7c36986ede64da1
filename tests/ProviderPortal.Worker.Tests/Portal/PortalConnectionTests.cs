using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Cli;
using ProviderPortal.Worker.Portal;
using ProviderPortal.Worker.Tasks;
using ProviderPortal.Worker.Tests.Tasks;

namespace ProviderPortal.Worker.Tests.Portal;

/// <summary>The worker's hub connection against a real SignalR server with the portal's default JSON: hello, assign, reports, a drop.</summary>
public sealed class PortalConnectionTests : IDisposable
{
    private const string Token = "pp-test-token-5d1b";
    private const string Vm = "lab-web-01";
    private const string Disk = "disk-0";
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly LabFolder _folder = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Assign_OverTheHub_WelcomeAppliedTaskCopiedReportsInOrder()
    {
        await _folder.OpenAsync();
        await using var portal = await StandInPortal.StartAsync(Token, new WorkerWelcome(Guid.NewGuid(), "tenant-a", 64L * LabFolder.MiB, [_folder.DestinationRoot]));
        using var stop = new CancellationTokenSource();
        await using var worker = Connect(portal, out var roots);
        var run = worker.RunAsync(stop.Token);

        var hello = await WaitForAsync(() => portal.State.Hellos.TryPeek(out var h) ? h : null);
        Assert.Equal("test-worker", hello.WorkerName);
        Assert.Equal(2, hello.Slots);
        Assert.Equal(Environment.ProcessId, hello.ProcessId);
        // The portal records the hello before the worker has read the welcome.
        await WaitForAsync(() => roots.Current.Contains(_folder.DestinationRoot) ? (object)true : null);

        // The lab's connection settings (a Uri, TimeSpans, init-only LabRoot) cross the wire as the portal serializes them.
        var task = _folder.Baseline(Vm, await _folder.DiskAsync(Vm, Disk));
        await portal.Hub.Clients.Client(portal.State.Caller!.ConnectionId).SendAsync(WorkerProtocol.Assign, task);
        var completed = await WaitForAsync(() => portal.State.Reports.OfType<CompletedReport>().FirstOrDefault());

        Assert.Equal(task.TaskId, completed.TaskId);
        var kinds = portal.State.Reports.Where(r => r is not ProgressReport).Select(r => r.GetType().Name).ToList();
        Assert.Equal([nameof(SnapshotReport), nameof(DiskPlannedReport), nameof(CheckpointReport), nameof(DiskDoneReport), nameof(CompletedReport)], kinds);
        var snapshot = portal.State.Reports.OfType<SnapshotReport>().Single();
        Assert.Equal(await _folder.SnapshotSha256Async(Vm, snapshot.SnapshotId, Disk), await LabFolder.Sha256Async(_folder.TargetOf(Vm, Disk)));

        await stop.CancelAsync();
        Assert.Equal(WorkerCommands.ExitOk, await run.WaitAsync(s_limit));
    }

    [Fact]
    public async Task ConnectionDropped_RunningCopyStopsAtOnce_WorkerSaysHelloAgain()
    {
        await _folder.OpenAsync();
        await using var portal = await StandInPortal.StartAsync(Token, new WorkerWelcome(Guid.NewGuid(), "tenant-a", null, [_folder.DestinationRoot]));
        using var stop = new CancellationTokenSource();
        await using var worker = Connect(portal, out _);
        var run = worker.RunAsync(stop.Token);
        await WaitForAsync(() => portal.State.Hellos.TryPeek(out var h) ? h : null);

        // 256 KiB/s: about 16 s for the disk's 4 MiB, so it is still copying when the connection drops.
        var tuning = new CopyTuning(64 * 1024, 1, 0.05, 64 * 1024);
        var task = LabFolder.Assignment(Vm, [await _folder.DiskAsync(Vm, Disk)], throttle: 256 * 1024, tuning: tuning, source: _folder.Settings);
        await portal.Hub.Clients.Client(portal.State.Caller!.ConnectionId).SendAsync(WorkerProtocol.Assign, task);
        await WaitForAsync(() => portal.State.Reports.OfType<CheckpointReport>().FirstOrDefault());

        portal.State.Caller!.Abort();
        await WaitForAsync(() => portal.State.Hellos.Count >= 2 ? (object)true : null);

        // The copy stopped before the worker came back: the target no longer grows, and nothing was reported as failed.
        var target = new FileInfo(_folder.TargetOf(Vm, Disk));
        var data = await LabFolder.Sha256Async(target.FullName);
        await Task.Delay(500);
        Assert.Equal(data, await LabFolder.Sha256Async(target.FullName));
        Assert.Empty(portal.State.Reports.OfType<FailedReport>());
        Assert.Empty(portal.State.Reports.OfType<CompletedReport>());
        // Cancelled by the lost connection, or stopped a moment earlier by a report the dropped connection did not carry.
        var log = _log.ToString();
        Assert.True(log.Contains("cancelled", StringComparison.Ordinal) || log.Contains("stopped: the portal did not take a report", StringComparison.Ordinal), log);

        await stop.CancelAsync();
        Assert.Equal(WorkerCommands.ExitOk, await run.WaitAsync(s_limit));
    }

    [Fact]
    public async Task WrongToken_RunEndsWithExitThree()
    {
        await using var portal = await StandInPortal.StartAsync("another-token", new WorkerWelcome(Guid.NewGuid(), "tenant-a", null, []));
        await using var worker = Connect(portal, out _);

        Assert.Equal(WorkerCommands.ExitUnauthorized, await worker.RunAsync(CancellationToken.None).WaitAsync(s_limit));
        Assert.Empty(portal.State.Hellos);
    }

    private PortalConnection Connect(StandInPortal portal, out DestinationRoots roots)
    {
        roots = new DestinationRoots([]);
        var hello = new WorkerHello("test-worker", "test", 2, Environment.ProcessId);
        return new PortalConnection(new Uri(portal.Url + WorkerProtocol.HubPath), Token, hello, roots, _folder.Connectors, TextWriter.Synchronized(_log));
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_limit)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"nothing came within {s_limit.TotalSeconds} s");
        return null;
    }
}
