using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Tests.Portal;
using ProviderPortal.Worker.Tests.Tasks;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary>`connect` as the portal's supervisor sees it: exit codes and plain messages, the token never shown.</summary>
public sealed class ConnectCommandTests : IDisposable
{
    private const string Token = "pp-worker-token-7f3e9a1c";
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string?> s_noToken = new() { [WorkerProtocol.TokenVariable] = null };
    private static readonly Dictionary<string, string?> s_token = new() { [WorkerProtocol.TokenVariable] = Token };

    private readonly string _folder = Directory.CreateTempSubdirectory("worker-connect-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Connect_NoToken_ExitsTwoSayingHowToGiveOne()
    {
        using var worker = WorkerProcess.Start(s_noToken, "connect", "--portal", "http://127.0.0.1:1");
        var run = await worker.WaitAsync(s_limit);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: no worker token", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(WorkerProtocol.TokenVariable, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_TokenFileMissing_ExitsTwoNamingTheFile()
    {
        var missing = Path.Combine(_folder, "no-such-token");
        using var worker = WorkerProcess.Start(s_token, "connect", "--portal", "http://127.0.0.1:1", "--token-file", missing);
        var run = await worker.WaitAsync(s_limit);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: the token file", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_PortalRefusesTheToken_ExitsThreeAtOnceWithoutShowingIt()
    {
        await using var portal = await StandInPortal.StartAsync("the-portal-knows-another-token", new WorkerWelcome(Guid.NewGuid(), "tenant-a", null, []));
        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");

        using var worker = WorkerProcess.Start(s_noToken, "connect", "--portal", portal.Url, "--token-file", tokenFile);
        var run = await worker.WaitAsync(s_limit);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("refused this worker's token", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_PortalUnreachable_KeepsTryingThenSigtermExitsZero()
    {
        using var worker = WorkerProcess.Start(s_token, "connect", "--portal", $"http://127.0.0.1:{UnusedPort()}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!worker.Stderr.Contains("trying again", StringComparison.Ordinal) && clock.Elapsed < s_limit && !worker.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.False(worker.HasExited, worker.Stderr);
        await worker.SignalAsync("TERM");
        var run = await worker.WaitAsync(s_limit);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("cannot reach the portal", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_TaskAssignedOverTheHub_CopiedAndReported_SigtermExitsZero()
    {
        using var lab = new LabFolder();
        await lab.OpenAsync();
        await using var portal = await StandInPortal.StartAsync(Token, new WorkerWelcome(Guid.NewGuid(), "tenant-a", null, [lab.DestinationRoot]));
        using var worker = WorkerProcess.Start(s_token, "connect", "--portal", portal.Url, "--name", "process-worker", "--slots", "1");
        var hello = await WaitForAsync(worker, () => portal.State.Hellos.TryPeek(out var h) ? h : null);
        Assert.Equal(("process-worker", 1, worker.Id), (hello.WorkerName, hello.Slots, hello.ProcessId));

        var task = lab.Baseline("lab-web-01", await lab.DiskAsync("lab-web-01", "disk-0"));
        await portal.Hub.Clients.Client(portal.State.Caller!.ConnectionId).SendAsync(WorkerProtocol.Assign, task);
        var completed = await WaitForAsync(worker, () => portal.State.Reports.OfType<CompletedReport>().FirstOrDefault());
        Assert.Equal(task.TaskId, completed.TaskId);
        var snapshot = portal.State.Reports.OfType<SnapshotReport>().Single();
        Assert.Equal(await lab.SnapshotSha256Async("lab-web-01", snapshot.SnapshotId, "disk-0"), await LabFolder.Sha256Async(lab.TargetOf("lab-web-01", "disk-0")));

        await worker.SignalAsync("TERM");
        var run = await worker.WaitAsync(s_limit);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(Token, run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    private static async Task<T> WaitForAsync<T>(WorkerProcess worker, Func<T?> probe)
        where T : class
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < s_limit && !worker.HasExited)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"nothing came within {s_limit.TotalSeconds} s; the worker said: {worker.Stderr}");
        return null;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
