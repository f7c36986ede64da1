using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using ProviderPortal.Connectors;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Portal;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Cli;

/// <summary>
/// <c>connect --portal URL</c>: serves the portal as one tenant's worker until stopped. The token (--token-file, else the
/// PROVIDERPORTAL_WORKER_TOKEN variable) is sent only as the bearer of the hub connection, never printed.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create(TextWriter errors)
    {
        var portal = new Option<string>("--portal") { Description = "The portal's base URL, e.g. https://portal.example.", Required = true };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = $"A file holding the worker token; default: the {WorkerProtocol.TokenVariable} environment variable." };
        var name = new Option<string>("--name") { Description = "The name the portal shows for this worker.", DefaultValueFactory = _ => Environment.MachineName };
        var slots = new Option<int>("--slots") { Description = "Copies run at once; more are refused for another worker to take.", DefaultValueFactory = _ => 2 };
        var roots = new Option<string[]>("--destination-root")
        {
            Description = "A folder file targets may be under, besides those the portal names (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("connect", "Serve the portal: run the copies it assigns, report progress and checkpoints, until stopped.")
        {
            portal, tokenFile, name, slots, roots,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(
            parse.GetValue(portal)!, parse.GetValue(tokenFile), parse.GetValue(name)!, parse.GetValue(slots), parse.GetValue(roots) ?? [], errors, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string portal, FileInfo? tokenFile, string name, int slots, string[] roots, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(portal, UriKind.Absolute, out var portalUri) || (portalUri.Scheme != Uri.UriSchemeHttps && portalUri.Scheme != Uri.UriSchemeHttp))
        {
            await errors.WriteLineAsync("error: --portal must be an http:// or https:// URL, such as https://portal.example.");
            return WorkerCommands.ExitUsage;
        }

        if (slots < 1 || string.IsNullOrWhiteSpace(name) || roots.Any(r => !Path.IsPathFullyQualified(r)))
        {
            await errors.WriteLineAsync("error: --slots must be at least 1, --name must not be empty, and each --destination-root must be an absolute path.");
            return WorkerCommands.ExitUsage;
        }

        string? token;
        if (tokenFile is not null)
        {
            try
            {
                token = (await File.ReadAllTextAsync(tokenFile.FullName, cancellationToken)).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await errors.WriteLineAsync($"error: the token file {tokenFile.FullName} cannot be read: {ex.Message}");
                return WorkerCommands.ExitUsage;
            }
        }
        else
        {
            token = Environment.GetEnvironmentVariable(WorkerProtocol.TokenVariable)?.Trim();
        }

        if (string.IsNullOrEmpty(token))
        {
            await errors.WriteLineAsync($"error: no worker token: give --token-file FILE or set {WorkerProtocol.TokenVariable}.");
            return WorkerCommands.ExitUsage;
        }

        // SIGTERM (the portal's supervisor, systemd) and Ctrl-C stop the worker cleanly: copies are cancelled, their
        // checkpoints are already with the portal, and the exit code is 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var log = TextWriter.Synchronized(errors);
        var version = typeof(ConnectCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var hello = new WorkerHello(name, version, slots, Environment.ProcessId);
        var hubUrl = new Uri(portal.TrimEnd('/') + WorkerProtocol.HubPath);
        await using var connection = new PortalConnection(hubUrl, token, hello, new DestinationRoots(roots), new SourceConnectorFactory(TimeProvider.System), log);
        return await connection.RunAsync(stop.Token);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The command line's own handler of the same signal already ended the run, which let go of the source.
            }
        }
    }
}
