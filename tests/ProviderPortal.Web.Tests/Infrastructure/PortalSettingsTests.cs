using System.Diagnostics;
using System.Net;
using System.Text;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// The README's first command, `dotnet run --project src/ProviderPortal.Web` (on the Release build the tests made, so
/// nothing is built again), in a fresh data folder: where the portal listens.
/// </summary>
public sealed class PortalSettingsTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "pp-tests", $"first-command-{Guid.NewGuid():N}");

    [Fact]
    public async Task FirstCommand_AspNetCoreUrlsSet_ListensThere()
    {
        var url = $"http://127.0.0.1:{SmtpPeer.FreePort()}";

        var output = await RunUntilStartedAsync([], new() { ["ASPNETCORE_URLS"] = url }, url);

        Assert.Contains($"Now listening on: {url}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("5080", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstCommand_UrlsOnTheCommandLine_ListensThere()
    {
        var url = $"http://127.0.0.1:{SmtpPeer.FreePort()}";

        var output = await RunUntilStartedAsync(["--urls", url], [], url);

        Assert.Contains($"Now listening on: {url}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstCommand_NothingSet_ListensOnLocalhost5080()
    {
        var output = await RunUntilStartedAsync([], [], null);

        // Either it listens there, or the port is taken on this machine and it says so, naming the address it tried.
        Assert.Contains("http://localhost:5080", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Not created (the portal did not start), or still held for a moment: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>
    /// Runs the first command with the settings given until the portal says it started (then checks <paramref name="url"/>
    /// answers), or exits; returns what it printed. The process is stopped afterwards.
    /// </summary>
    private async Task<string> RunUntilStartedAsync(string[] arguments, Dictionary<string, string> environment, string? url)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var argument in new[] { "run", "--project", Path.Combine("src", "ProviderPortal.Web"), "-c", "Release", "--no-build" })
        {
            start.ArgumentList.Add(argument);
        }

        if (arguments.Length > 0)
        {
            start.ArgumentList.Add("--");
            arguments.ToList().ForEach(start.ArgumentList.Add);
        }

        // Whatever the machine running the tests has set does not count: only what the test sets.
        foreach (var key in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "HTTP_PORTS", "HTTPS_PORTS" })
        {
            start.Environment.Remove(key);
        }

        start.Environment["Portal__DataDirectory"] = _data;
        start.Environment["Environments__Lab__Workload"] = "false";
        start.Environment["Environments__PeriodicSync"] = "false";
        start.Environment["Workers__Local"] = "false";
        foreach (var role in new[] { "ProviderAdmin", "ProviderOperator", "TenantAdmin", "TenantMember" })
        {
            start.Environment[$"Seed__Passwords__{role}"] = PortalFactory.Password;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        void Read(object? sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        }

        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Migrating a new database and the first run take a few seconds; much longer on two busy cores.
            var exited = process.WaitForExitAsync();
            var finished = await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromMinutes(2)));
            if (url is not null)
            {
                Assert.True(finished == started.Task, $"The portal did not start:\n{Text(output)}");
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var health = await http.GetAsync($"{url}/health");
                Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{url}/health answered {health.StatusCode}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        return Text(output);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
