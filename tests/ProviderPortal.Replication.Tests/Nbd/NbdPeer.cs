using System.Diagnostics;
using System.Net.Sockets;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

/// <summary>
/// A real NBD server (nbdkit or qemu-nbd) started in the foreground in its own temp folder on a Unix socket
/// (or 127.0.0.1), ready once its socket accepts, and stopped by its PID at dispose.
/// </summary>
public sealed class NbdPeer : IAsyncDisposable
{
    private static readonly TimeSpan _readyWait = TimeSpan.FromSeconds(15);

    private static readonly System.Collections.Concurrent.BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> _launches = StartLauncher();

    private readonly Process _process;

    private NbdPeer(Process process, NbdUri uri, string folder)
    {
        _process = process;
        Uri = uri;
        Folder = folder;
    }

    public NbdUri Uri { get; }

    public string Folder { get; }

    public int ProcessId => _process.Id;

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "nbd-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>nbdkit -f on a Unix socket in <paramref name="folder"/>; the export name is ignored by nbdkit.</summary>
    public static Task<NbdPeer> StartNbdkitAsync(string folder, params string[] pluginArgs)
    {
        var socket = Path.Combine(folder, "nbdkit.sock");
        return StartAsync("nbdkit", "nbdkit", ["-f", "-U", socket, .. pluginArgs], NbdUri.Unix(socket, ""), folder);
    }

    public static Task<NbdPeer> StartNbdkitTcpAsync(string folder, params string[] pluginArgs)
    {
        var port = FreePort();
        return StartAsync("nbdkit", "nbdkit", ["-f", "-i", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. pluginArgs], NbdUri.Tcp("127.0.0.1", port, ""), folder);
    }

    /// <summary>qemu-nbd (foreground) on a Unix socket, export name "disk".</summary>
    public static Task<NbdPeer> StartQemuNbdAsync(string folder, params string[] args)
    {
        var socket = Path.Combine(folder, "qemu-nbd-" + Guid.NewGuid().ToString("N")[..6] + ".sock");
        return StartAsync("qemu-nbd", "qemu-utils", ["-t", "-k", socket, "-x", "disk", .. args], NbdUri.Unix(socket, "disk"), folder);
    }

    public static void RequireTool(string tool, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
        if (!found)
        {
            Assert.Fail($"{tool} is missing: install it with apt-get install -y --no-install-recommends {package}");
        }
    }

    /// <summary>Runs a tool to completion (bounded) and fails the test when it fails.</summary>
    public static async Task<string> RunAsync(string tool, string package, params string[] args)
    {
        RequireTool(tool, package);
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>A clean stop (SIGTERM), so qemu-nbd stores persistent bitmaps, then waits for the exit.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        await RunAsync("kill", "procps", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<NbdPeer> StartAsync(string tool, string package, string[] args, NbdUri uri, string folder)
    {
        RequireTool(tool, package);

        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = await LaunchAsync(info);
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
                var peer = new NbdPeer(process, uri, folder);
        var deadline = DateTime.UtcNow + _readyWait;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                lock (stderr)
                {
                    Assert.Fail($"{tool} {string.Join(' ', args)} exited with {process.ExitCode} before it was ready: {stderr}");
                }
            }

            if (await AcceptsAsync(uri))
            {
                return peer;
            }

            await Task.Delay(20);
        }

        await peer.DisposeAsync();
        Assert.Fail($"{tool} did not accept connections within {_readyWait.TotalSeconds} s");
        return null!;
    }

    /// <summary>
    /// Starts processes from one long-lived thread: nbdkit sets PR_SET_PDEATHSIG(SIGTERM), which fires when
    /// the thread that forked it ends, and thread-pool threads end whenever the pool shrinks.
    /// </summary>
    private static Task<Process> LaunchAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _launches.Add((info, started));
        return started.Task;
    }

    private static System.Collections.Concurrent.BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> StartLauncher()
    {
        var launches = new System.Collections.Concurrent.BlockingCollection<(ProcessStartInfo, TaskCompletionSource<Process>)>();
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in launches.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(info)!);
                }
                catch (Exception ex)
                {
                    started.SetException(ex);
                }
            }
        })
        { IsBackground = true, Name = "NBD peer launcher" };
        thread.Start();
        return launches;
    }

    private static async Task<bool> AcceptsAsync(NbdUri uri)
    {
        if (uri.IsUnixSocket && !File.Exists(uri.SocketPath))
        {
            return false;
        }

        using var socket = uri.IsUnixSocket
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            if (uri.IsUnixSocket)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.SocketPath!), cts.Token);
            }
            else
            {
                await socket.ConnectAsync(uri.Host!, uri.Port, cts.Token);
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
