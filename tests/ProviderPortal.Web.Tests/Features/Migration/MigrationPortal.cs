using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// The portal on a real Kestrel port (workers connect to it over the network, as they do for real), with lab tenants,
/// a local-storage destination in its data folder, and plans made and driven through the portal's own services.
/// Local worker processes are off unless a test class turns them on.
/// </summary>
public class MigrationPortal : PortalFactory
{
    public MigrationPortal()
    {
        UseKestrel(0);
    }

    /// <summary>The portal's base address, e.g. http://127.0.0.1:40123.</summary>
    public string BaseUrl
    {
        get
        {
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            return addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public string DestinationRoot => this.DestinationRoot();

    /// <summary>Start worker processes for tenants with copies waiting (the embedded default); off for tests that connect their own.</summary>
    public bool LocalWorkers { get; init; }

    /// <summary>Run the lab's workload: the running lab VMs write to their disks all the time.</summary>
    public bool LabWorkload { get; init; }

    /// <summary>Every progress report and plan change the portal passed on, as a browser watching would get them.</summary>
    public ProgressLog Progress { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IReplicationObserver>(Progress));
    }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:Local"] = LocalWorkers ? "true" : "false",
        ["Workers:RestartDelaySeconds"] = "0.2",
        ["Environments:Lab:Workload"] = LabWorkload ? "true" : "false",
        ["Environments:Lab:CheckSeconds"] = "1",

        // Small ranges and frequent checkpoints, so resuming is seen on disks of a few MiB; one range at a time, so
        // "no more than one range is sent again" is what a kill can cost.
        ["Replication:RangeSizeMiB"] = "1",
        ["Replication:CheckpointEverySeconds"] = "0.2",
        ["Replication:CopyWorkers"] = "1",
        ["Replication:ShutdownTimeoutSeconds"] = "10",
        ["Replication:FinalCopyTimeoutMinutes"] = "2",
        ["Replication:WorkerTimeoutSeconds"] = "10",
    };

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> when it never does.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:F0} s for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
