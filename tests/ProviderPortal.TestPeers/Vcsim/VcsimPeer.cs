using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.TestPeers.Vcsim;

/// <summary>
/// The vcsim test peer (tests/peers/vcsim, built by tests/run.sh into artifacts/peers/vcsim): a real process serving
/// vim25 over TLS on loopback, with its datastore in a temporary folder. Disposing kills it by PID and removes the folder.
/// </summary>
public sealed class VcsimPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _tempRoot;
    private readonly HttpClient _stats;

    private VcsimPeer(Process process, string tempRoot, JsonElement info)
    {
        _process = process;
        _tempRoot = tempRoot;
        Url = new Uri(info.GetProperty("url").GetString()!);
        Thumbprint = info.GetProperty("thumbprint").GetString()!;
        DatastoreDirectory = info.GetProperty("datastore").GetString()!;
        UserName = info.GetProperty("username").GetString()!;
        Password = info.GetProperty("password").GetString()!;
        VmCount = info.GetProperty("vms").GetInt32();
        HostCount = info.GetProperty("hosts").GetInt32();
        _stats = new HttpClient(PinnedHttp.CreateHandler(Thumbprint)) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Url { get; }

    /// <summary>SHA-256 of the served certificate, colon hex.</summary>
    public string Thumbprint { get; }

    public string DatastoreDirectory { get; }

    public string UserName { get; }

    public string Password { get; }

    public int VmCount { get; }

    public int HostCount { get; }

    public static string BinaryPath { get; } = Path.Combine(FindRepositoryRoot(), "artifacts", "peers", "vcsim", "vcsim");

    public static async Task<VcsimPeer> StartAsync(params string[] arguments)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException(
                $"The vcsim test peer is not built ({BinaryPath} is missing). Run tests/run.sh, which installs golang-go and "
                + "golang-github-vmware-govmomi-dev and builds it from tests/peers/vcsim/main.go.");
        }

        var tempRoot = Directory.CreateTempSubdirectory("vcsim-peer-").FullName;
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The simulator makes its datastore folders under TMPDIR: one folder per peer, removed with it.
        start.Environment["TMPDIR"] = tempRoot;
        var process = Process.Start(start) ?? throw new InvalidOperationException("vcsim did not start.");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (string.IsNullOrWhiteSpace(line))
        {
            process.Kill(entireProcessTree: true);
            Directory.Delete(tempRoot, recursive: true);
            lock (errors)
            {
                throw new InvalidOperationException($"vcsim printed no address. Its errors: {string.Join(" | ", errors)}");
            }
        }

        using var json = JsonDocument.Parse(line);
        return new VcsimPeer(process, tempRoot, json.RootElement.Clone());
    }

    public ConnectionSettings Settings(string? password = null, string? thumbprint = null) =>
        new(EnvironmentKind.VCenter, Url, UserName, password ?? Password, thumbprint ?? Thumbprint)
        {
            RequestTimeout = TimeSpan.FromSeconds(15),
            TaskTimeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>The live -flat file of a disk ("[LocalDS_0] vm/disk1.vmdk"), which a test writes into as the guest would.</summary>
    public string FlatFile(SourceDisk disk)
    {
        var path = disk.Path ?? throw new InvalidOperationException($"Disk {disk.Key} has no path.");
        var relative = path[(path.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim();
        return Path.Combine(DatastoreDirectory, relative[..^".vmdk".Length] + "-flat.vmdk");
    }

    /// <summary>All requests the peer's HTTP handler received, and the SOAP calls by method name.</summary>
    public async Task<(int Requests, IReadOnlyDictionary<string, int> Methods)> StatsAsync()
    {
        var stats = await _stats.GetFromJsonAsync<JsonElement>("/peer/stats");
        var methods = stats.GetProperty("methods").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return (stats.GetProperty("requests").GetInt32(), methods);
    }

    public async Task<int> CallsAsync(string method) => (await StatsAsync()).Methods.GetValueOrDefault(method);

    public async ValueTask DisposeAsync()
    {
        _stats.Dispose();
        try
        {
            using var process = Process.GetProcessById(_process.Id);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        _process.Dispose();
        Directory.Delete(_tempRoot, recursive: true);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ProviderPortal.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ProviderPortal.sln above {AppContext.BaseDirectory}.");
    }
}
