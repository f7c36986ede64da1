// The tenant-scoped worker process. Today it is the engine's command line (copy, verify), used by
// hand and by the benchmarks exactly as the portal will use the engine; the portal connection follows.
using ProviderPortal.Worker.Cli;

var parse = WorkerCommands.Create(Console.Out, Console.Error).Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run with --help for the commands and options.");
    return WorkerCommands.ExitUsage;
}

return await parse.InvokeAsync();
