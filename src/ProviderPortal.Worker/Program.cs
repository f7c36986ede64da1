// The tenant-scoped worker process: `connect` serves the portal (see Portal/), and the engine's command line
// (copy, verify) is used by hand and by the benchmarks, through the same engine the portal's copies use.
using ProviderPortal.Worker.Cli;

namespace ProviderPortal.Worker;

// An explicit Main, not top-level statements: with the ASP.NET Core framework referenced, a top-level Program would be
// made public by its source generator and clash with the portal's own Program, which references this project.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Socket completions run on the socket engine's thread instead of hopping to the thread pool: one
        // context switch less per NBD request. Safe here because the NBD connection never blocks in a
        // continuation (replies complete requests asynchronously). Read once, before the first socket.
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        var parse = WorkerCommands.Create(Console.Out, Console.Error).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run with --help for the commands and options.");
            return WorkerCommands.ExitUsage;
        }

        return await parse.InvokeAsync();
    }
}
