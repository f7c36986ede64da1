using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>
/// Starts and watches the worker processes of this node (the embedded default): one per tenant that has copies waiting
/// and no worker, each with a token of its own tenant only (issued here, passed in the environment, never on the command
/// line or in a log). A worker that dies while its tenant has work is started again, after a back-off; its copies were
/// queued again when its connection dropped, and resume from their checkpoints. Stopping the portal stops its workers.
/// </summary>
public sealed class LocalWorkerSupervisor(
    IServiceScopeFactory scopes, IServer server, IOptions<WorkerOptions> options, PortalNode node, TimeProvider clock, ILogger<LocalWorkerSupervisor> logger)
    : IHostedService, IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LocalWorker> _workers = [];
    private readonly CancellationTokenSource _stopped = new();
    private Task _idleCheck = Task.CompletedTask;
    private bool _stopping;

    private sealed class LocalWorker
    {
        public required Process Process { get; init; }

        public int Restarts { get; set; }
    }

    /// <summary>The process id of the tenant's local worker, if one runs.</summary>
    public int? ProcessIdOf(Guid tenantId)
    {
        lock (_lock)
        {
            return _workers.TryGetValue(tenantId, out var worker) && !worker.Process.HasExited ? worker.Process.Id : null;
        }
    }

    /// <summary>Starts the tenant's local worker unless one runs (or local workers are off).</summary>
    public async Task EnsureWorkerAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!options.Value.Local)
        {
            return;
        }

        lock (_lock)
        {
            if (_stopping || (_workers.TryGetValue(tenantId, out var running) && !running.Process.HasExited))
            {
                return;
            }
        }

        await StartAsync(tenantId, restarts: 0, cancellationToken);
    }

    private async Task StartAsync(Guid tenantId, int restarts, CancellationToken cancellationToken)
    {
        var portalUrl = PortalUrl();
        if (portalUrl is null)
        {
            logger.LogWarning("No local worker started: this node has no HTTP address to connect to (set Workers:PortalUrl).");
            return;
        }

        var secret = await IssueTokenAsync(tenantId, cancellationToken);
        var (file, arguments) = Command();
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Concat(["connect", "--portal", portalUrl, "--name", $"local-{node.Name}", "--slots", options.Value.Slots.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[WorkerProtocol.TokenVariable] = secret;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Relay(tenantId, e.Data);
        process.ErrorDataReceived += (_, e) => Relay(tenantId, e.Data);
        process.Exited += (_, _) => _ = OnExitedAsync(tenantId, process);
        lock (_lock)
        {
            if (_stopping || (_workers.TryGetValue(tenantId, out var other) && !other.Process.HasExited))
            {
                return;
            }

            process.Start();
            _workers[tenantId] = new LocalWorker { Process = process, Restarts = restarts };
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("Started local worker {Pid} for tenant {TenantId}", process.Id, tenantId);
    }

    private async Task OnExitedAsync(Guid tenantId, Process process)
    {
        int restarts;
        lock (_lock)
        {
            if (_stopping || !_workers.TryGetValue(tenantId, out var worker) || worker.Process != process)
            {
                return;
            }

            restarts = worker.Restarts + 1;
        }

        var code = process.ExitCode;
        logger.LogWarning("Local worker {Pid} of tenant {TenantId} exited with code {Code}", process.Id, tenantId, code);
        if (!await HasWorkAsync(tenantId))
        {
            lock (_lock)
            {
                _workers.Remove(tenantId);
            }

            return;
        }

        var delay = TimeSpan.FromSeconds(Math.Min(60, options.Value.RestartDelaySeconds * Math.Pow(2, Math.Min(restarts - 1, 6))));
        await Task.Delay(delay, clock);
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _workers.Remove(tenantId);
        }

        logger.LogInformation("Restarting the local worker of tenant {TenantId} (restart {Restart})", tenantId, restarts);
        await StartAsync(tenantId, restarts, CancellationToken.None);
    }

    private async Task<bool> HasWorkAsync(Guid tenantId)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseTenant(tenantId, "local worker supervisor");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.MigrationPlans.AnyAsync(p => p.Status == PlanStatus.Replicating || p.Status == PlanStatus.CuttingOver)
            || await db.ReplicationTasks.AnyAsync(t => t.State == ReplicationTaskState.Queued || t.State == ReplicationTaskState.Running);
    }

    /// <summary>A fresh local token for the tenant; the earlier local tokens of this node are revoked (one live token per local worker).</summary>
    private async Task<string> IssueTokenAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseTenant(tenantId, "local worker supervisor");
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var name = $"local worker on {node.Name}";
        var now = clock.GetUtcNow();
        foreach (var old in await db.WorkerTokens.Where(t => t.IsLocal && t.Name == name && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            old.Revoke(now);
        }

        var (token, secret) = WorkerToken.Issue(tenantId, name, "portal", isLocal: true, now);
        db.WorkerTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    private (string File, string[] Arguments) Command()
    {
        var executable = options.Value.Executable is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "providerportal-worker.dll");
        if (!executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return (executable, []);
        }

        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : "dotnet";
        return (host, [executable]);
    }

    private string? PortalUrl()
    {
        if (options.Value.PortalUrl is { Length: > 0 } configured)
        {
            return configured;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host is "0.0.0.0" ? "127.0.0.1" : uri.Host is "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri.ToString().TrimEnd('/');
    }

    private void Relay(Guid tenantId, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            logger.LogInformation("worker[{TenantId}]: {Line}", tenantId, line);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Local)
        {
            _idleCheck = Task.Run(() => StopIdleWorkersAsync(_stopped.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>A local worker whose tenant has nothing left to copy is stopped; the dispatcher starts one again when needed.</summary>
    private async Task StopIdleWorkersAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.IdleSeconds)), clock);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            List<(Guid Tenant, Process Process)> running;
            lock (_lock)
            {
                running = [.. _workers.Where(w => !w.Value.Process.HasExited).Select(w => (w.Key, w.Value.Process))];
            }

            foreach (var (tenantId, process) in running)
            {
                try
                {
                    if (await HasWorkAsync(tenantId))
                    {
                        continue;
                    }

                    lock (_lock)
                    {
                        _workers.Remove(tenantId);
                    }

                    logger.LogInformation("Stopping the idle local worker {Pid} of tenant {TenantId}", process.Id, tenantId);
                    _ = Kill(process.Id, SigTerm);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Checking the local worker of tenant {TenantId} failed: {Error}", tenantId, ex.Message);
                }
            }
        }
    }

    /// <summary>Asks every local worker to stop (SIGTERM: copies keep their checkpoints), then kills what is left after 5 s.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Process> processes;
        lock (_lock)
        {
            _stopping = true;
            processes = [.. _workers.Values.Select(w => w.Process).Where(p => !p.HasExited)];
            _workers.Clear();
        }

        await _stopped.CancelAsync();
        try
        {
            await _idleCheck;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        foreach (var process in processes)
        {
            _ = Kill(process.Id, SigTerm);
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var process in processes)
        {
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
