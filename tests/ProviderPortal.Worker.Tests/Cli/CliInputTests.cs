using System.Net.Sockets;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary>The worker's answers to bad input and unresponsive servers: exit codes and "error:" messages, never a hang or a stack trace.</summary>
public sealed class CliInputTests : IDisposable
{
    private static readonly TimeSpan _limit = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("worker-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("copy", "a.raw", "b.raw", "--no-such-option")]
    [InlineData("copy", "a.raw")]
    [InlineData("verify")]
    [InlineData("frobnicate")]
    [InlineData("copy", "a.raw", "b.raw", "--throttle", "fast")]
    [InlineData("copy", "a.raw", "b.raw", "--no-flush", "--checkpoint", "c.json")]
    public async Task Main_BadUsage_ExitsTwoWithError(params string[] args)
    {
        var run = await WorkerProcess.RunAsync(_limit, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Theory]
    [InlineData("nbd://127.0.0.1:notaport/disk", "not a valid NBD location")]
    [InlineData("nbd+unix:///disk", "not a valid NBD location")]
    [InlineData("ftp://host/disk.raw", "neither an NBD location")]
    public async Task Copy_MalformedLocation_ExitsOneNamingIt(string location, string expected)
    {
        var run = await WorkerProcess.RunAsync(_limit, "copy", location, Path.Combine(_folder, "out.raw"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(location, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Copy_TargetSmallerThanSource_ExitsOneAndLeavesTargetAlone()
    {
        var source = WriteRandom("source.raw", 1024 * 1024, seed: 1);
        var target = WriteRandom("target.raw", 512 * 1024, seed: 2);
        var before = await File.ReadAllBytesAsync(target);

        var run = await WorkerProcess.RunAsync(_limit, "copy", source, target);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("smaller than the source", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(target, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(target));
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Verify_FilesDifferAtOneByte_ExitsOneNamingTheOffset()
    {
        const int offset = 3 * 1024 * 1024 + 4567;
        var source = WriteRandom("a.raw", 4 * 1024 * 1024 + 100, seed: 3);
        var target = Path.Combine(_folder, "b.raw");
        var bytes = await File.ReadAllBytesAsync(source);
        bytes[offset] ^= 0x40;
        await File.WriteAllBytesAsync(target, bytes);

        var run = await WorkerProcess.RunAsync(_limit, "verify", source, target);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"at offset {offset}", run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Verify_EqualFiles_ExitsZero()
    {
        var source = WriteRandom("a.raw", 4 * 1024 * 1024 + 100, seed: 4);
        var target = Path.Combine(_folder, "b.raw");
        File.Copy(source, target);

        var run = await WorkerProcess.RunAsync(_limit, "verify", source, target);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"equal: {4 * 1024 * 1024 + 100} bytes compared", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_ServerAcceptsButNeverSpeaks_ExitsOneWithinTimeoutNamingTheLocation()
    {
        var socketPath = Path.Combine(_folder, "silent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(16);
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var location = $"nbd+unix:///disk?socket={socketPath}";
        var run = await WorkerProcess.RunAsync(TimeSpan.FromSeconds(20), "copy", location, Path.Combine(_folder, "out.raw"), "--timeout", "1");

        stop.Cancel();
        await accepting;
        accepted.ForEach(s => s.Dispose());
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(accepted.Count >= 1, "the worker never connected");
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(8), $"a 1 s timeout took {run.Elapsed.TotalSeconds:F1} s");
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(socketPath, run.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(run);
        Assert.False(File.Exists(Path.Combine(_folder, "out.raw")), "a target was created for a source that never answered");
    }

    private string WriteRandom(string name, int size, int seed)
    {
        var path = Path.Combine(_folder, name);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertNoStackTrace(WorkerRun run)
    {
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }
}
