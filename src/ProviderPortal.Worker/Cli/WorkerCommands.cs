using System.CommandLine;

namespace ProviderPortal.Worker.Cli;

/// <summary>
/// The worker's command line: <c>copy SOURCE TARGET</c> and <c>verify SOURCE TARGET</c>, like nbdcopy, <c>seed-write</c> and
/// <c>seed-ingest</c> for seed devices, and
/// <c>connect --portal URL</c>, the tenant worker the portal drives.
/// </summary>
/// <remarks>
/// Exit codes: 0 done (for connect: stopped by SIGTERM or Ctrl-C); 1 the copy or verification failed; 2 bad usage
/// (for connect also: no token, or the token file cannot be read); 3 connect only: the portal refused the token
/// (401, wrong or revoked), so a supervisor must not restart the worker with it; 130 copy or verify was cancelled.
/// Seed commands: 1 also for a wrong key or a refused (tampered) device; 2 also for a key file missing, unreadable or
/// not a key; 130 cancelled (seed-write resumes when run again).
/// </remarks>
internal static class WorkerCommands
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;
    public const int ExitUnauthorized = 3;
    public const int ExitCancelled = 130;

    public static RootCommand Create(TextWriter output, TextWriter errors)
    {
        var root = new RootCommand(
            "providerportal-worker: copies and verifies VM disks block by block, and serves the portal as a tenant's worker (connect).\n" +
            "A location is nbd://host[:port]/export, nbd+unix:///export?socket=PATH, or a file path.");
        root.Subcommands.Add(CopyCommand.Create(output, errors));
        root.Subcommands.Add(VerifyCommand.Create(output, errors));
        root.Subcommands.Add(SeedCommands.CreateWrite(output, errors));
        root.Subcommands.Add(SeedCommands.CreateIngest(output, errors));
        root.Subcommands.Add(ConnectCommand.Create(errors));
        return root;
    }

    internal static Argument<string> Location(string name, string description) => new(name) { Description = description };

    internal static Option<int> Connections() => new("--connections")
    {
        Description = "NBD connections per device when the server allows several (multi-conn); default 4, at most one per core.",
        // Like nbdcopy (connections = threads = cores): on a small machine more connections only add server threads.
        DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4),
    };

    internal static Option<double> Timeout() => new("--timeout")
    {
        Description = "Seconds to wait for a connection or a reply before failing.",
        DefaultValueFactory = _ => 30,
    };

    internal static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
}
