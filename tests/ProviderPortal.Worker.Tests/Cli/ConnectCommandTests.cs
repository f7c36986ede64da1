using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using ProviderPortal.Domain.Workers.Protocol;

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
        await using var portal = await StartPortalAsync(context =>
        {
            context.Response.StatusCode = context.Request.Headers.Authorization == $"Bearer {Token}" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        });
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

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<StandInPortal> StartPortalAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return new StandInPortal(app, app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server"));
    }

    private sealed record StandInPortal(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
