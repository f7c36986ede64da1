using System.Diagnostics;
using System.Text;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary>
/// The real worker executable (providerportal-worker.dll, copied next to this test assembly by the project
/// reference, as it is beside the portal) run as a child process with `dotnet`, so exit codes, signals and
/// stderr are the ones users see.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    public static string WorkerDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "providerportal-worker.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference src/ProviderPortal.Worker");
            return dll;
        }
    }

    public static WorkerProcess Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>Starts the worker with these environment variables set (null: removed) over the test's own.</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        // PROVIDERPORTAL_WORKER_EXE runs these tests against another build, such as the native (AOT) executable.
        var native = Environment.GetEnvironmentVariable("PROVIDERPORTAL_WORKER_EXE");
        var info = new ProcessStartInfo(native ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        if (native is null)
        {
            info.ArgumentList.Add(WorkerDll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new WorkerProcess(Process.Start(info)!);
    }

    /// <summary>Runs the worker to its exit; fails the test (after killing it) when it takes longer than <paramref name="limit"/>.</summary>
    public static async Task<WorkerRun> RunAsync(TimeSpan limit, params string[] args)
    {
        using var worker = Start(args);
        return await worker.WaitAsync(limit);
    }

    public async Task<WorkerRun> WaitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the worker did not exit within {limit.TotalSeconds} s; stderr: {Stderr}");
        }

        // The parameterless wait drains the redirected streams.
        await _process.WaitForExitAsync();
        return new WorkerRun(_process.ExitCode, Stdout, Stderr, _clock.Elapsed);
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(cts.Token);
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (to)
        {
            to.AppendLine(line);
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }
}

internal sealed record WorkerRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s; stdout: {Stdout}; stderr: {Stderr}";

    /// <summary>The N of "read N" in the copy summary line.</summary>
    public long BytesRead
    {
        get
        {
            var match = System.Text.RegularExpressions.Regex.Match(Stdout, @"read (\d+),");
            Assert.True(match.Success, $"no summary line: {this}");
            return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
