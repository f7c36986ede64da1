using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>
/// The forecast checked against what really happens: a lab VM with a steady workload is observed, then replicated
/// through the engine at the tenant's cap (baseline, delta cycles at the forecast's cycle interval, then a cutover:
/// guest shutdown and the final delta), with the tenant's cap as the bottleneck. The forecast initial copy and cutover downtime must each be within 20 % of
/// what was measured; the test prints both.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class ForecastAgainstRealityTests(LabTenant<ForecastAgainstRealityTests.SteadyLabPortal> fixture, ITestOutputHelper output) : IClassFixture<LabTenant<ForecastAgainstRealityTests.SteadyLabPortal>>
{
    private static readonly TimeSpan Cycle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Shutdown = TimeSpan.FromSeconds(2);
    private const long WorkloadBytesPerSecond = 2L << 20;

    // The tenant's cap, the copy's bottleneck: low enough that the lab's 72 MiB take over ten seconds and the final
    // delta a few, so fixed costs (snapshots of a few MiB, a stall of half a second on a busy machine) stay small
    // against what is measured.
    private const int CapMbps = 50;

    /// <summary>A portal whose forecast settings match the lab: a 5 s delta cycle, a 2 s shutdown, an instant boot.</summary>
    public sealed class SteadyLabPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Assessments:DeltaCycleMinutes"] = (Cycle.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Assessments:ShutdownAllowanceMinutes"] = (Shutdown.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Assessments:BootAllowanceMinutes"] = "0",
            ["Assessments:ThroughputProbeSeconds"] = "1",
        };
    }

    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => fixture.AsTenantAsync(work);

    [Fact]
    public async Task Forecast_SteadyLabVmObservedThenReplicated_InitialCopyAndDowntimeWithinTwentyPercent()
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var vms = await lab.GetVmsAsync(CancellationToken.None);
        var vm = vms.First(v => v.Name == "lab-db-01");
        foreach (var other in vms)
        {
            await lab.SetWorkloadRateAsync(other.Id, other.Id == vm.Id ? WorkloadBytesPerSecond : 0, CancellationToken.None);
        }

        await lab.SetGuestShutdownDelayAsync(vm.Id, Shutdown, CancellationToken.None);

        await fixture.Factory.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var tenant = await db.Tenants.SingleAsync(t => t.Id == fixture.Tenant.Id);
            tenant.Update(tenant.ToDetails() with { BandwidthCapMbps = CapMbps });
            return await db.SaveChangesAsync();
        });

        using var stop = new CancellationTokenSource();
        var workload = new LabWorkload(lab, seed: 7).RunAsync(stop.Token);
        try
        {
            var forecast = await ObserveAsync(vm);
            var (baseline, downtime, equal) = await ReplicateAsync(vm, forecast);
            var forecastBaseline = forecast.NetworkInitialCopy;
            var forecastDowntime = forecast.GroupDowntime;
            output.WriteLine($"initial copy: forecast {forecastBaseline.TotalSeconds:0.00} s, measured {baseline.TotalSeconds:0.00} s ({Deviation(forecastBaseline, baseline):+0.0;-0.0} %)");
            output.WriteLine($"cutover downtime: forecast {forecastDowntime.TotalSeconds:0.00} s, measured {downtime.TotalSeconds:0.00} s ({Deviation(forecastDowntime, downtime):+0.0;-0.0} %)");
            output.WriteLine($"plan bandwidth {forecast.Bandwidth.PerVmBytesPerSecond / 1e6:0.0} MB/s (limited by {forecast.Bandwidth.LimitedBy}), final delta forecast {forecast.GroupFinalDeltaBytes >> 20} MiB");

            Assert.True(equal, "the target differs from the final snapshot");
            Assert.InRange(Deviation(forecastBaseline, baseline), -20, 20);
            Assert.InRange(Deviation(forecastDowntime, downtime), -20, 20);
        }
        finally
        {
            await stop.CancelAsync();
            await workload;
        }
    }

    private static double Deviation(TimeSpan forecast, TimeSpan measured) => 100 * (forecast - measured) / measured;

    private async Task<Forecast> ObserveAsync(SourceVm vm)
    {
        var id = await AsTenantAsync(async services =>
        {
            var assessment = Assessment.Start(fixture.EnvironmentId, "Steady", [new AssessmentVm(vm.Id, vm.Name)], TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow);
            var db = services.GetRequiredService<PortalDbContext>();
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            return assessment.Id;
        });

        // Rounds one cycle apart, as the delta cycles will be: the same uniqueness window for what is measured and copied.
        for (var round = 0; round < 4; round++)
        {
            var next = Task.Delay(Cycle);
            await fixture.SampleAsync(id);
            if (round < 3)
            {
                await next;
            }
        }

        var report = (await AsTenantAsync(s => s.GetRequiredService<AssessmentReportService>().BuildAsync(id)))!;
        await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().CancelAsync(id));
        return report.Forecast ?? throw new InvalidOperationException(report.ForecastUnavailable);
    }

    private async Task<(TimeSpan Baseline, TimeSpan Downtime, bool Equal)> ReplicateAsync(SourceVm vm, Forecast forecast)
    {
        var environment = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == fixture.EnvironmentId));
        await using var connector = await AsTenantAsync(s => Task.FromResult(s.GetRequiredService<EnvironmentConnections>().Create(environment)));
        var targets = Directory.CreateTempSubdirectory("forecast-targets-").FullName;
        var throttle = new Throttle((long)(forecast.Bandwidth.TenantCapBytesPerSecond));

        async Task CopyAsync(SourceSnapshot snapshot, SourceSnapshot? since)
        {
            foreach (var disk in vm.Disks)
            {
                var areas = await connector.GetChangedAreasAsync(vm.Id, snapshot.Id, disk.Key, since?.Disks.Single(d => d.DiskKey == disk.Key).ChangeId, CancellationToken.None);
                await using var source = await connector.OpenSnapshotDiskAsync(vm.Id, snapshot.Id, disk.Key, CancellationToken.None);
                await using var target = await BlockDevices.OpenAsync(Path.Combine(targets, disk.Key + ".raw"), new BlockDeviceOpenOptions { Writable = true, CreateWithSize = source.Size }, CancellationToken.None);
                var copied = await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.Changed(areas), Options = new CopyOptions { Throttle = throttle, TargetIsZero = since is null } });
                output.WriteLine($"{(since is null ? "baseline" : "delta")} {disk.Key}: {areas.Sum(a => a.Length) >> 10} KiB changed, {copied.BytesRead >> 10} KiB read, {copied.BytesWritten >> 10} KiB written in {copied.Elapsed.TotalSeconds:0.00} s");
            }
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var previous = await connector.CreateSnapshotAsync(vm.Id, "baseline", CancellationToken.None);
            await CopyAsync(previous, null);
            var baseline = clock.Elapsed;

            // Delta cycles one interval apart, then the cutover one interval after the last.
            var lastSnapshotAt = Stopwatch.StartNew();
            for (var cycle = 0; cycle < 2; cycle++)
            {
                await Task.Delay(Cycle - lastSnapshotAt.Elapsed > TimeSpan.Zero ? Cycle - lastSnapshotAt.Elapsed : TimeSpan.Zero);
                var next = await connector.CreateSnapshotAsync(vm.Id, $"cycle-{cycle}", CancellationToken.None);
                lastSnapshotAt.Restart();
                await CopyAsync(next, previous);
                await connector.RemoveSnapshotAsync(vm.Id, previous.Id, CancellationToken.None);
                previous = next;
            }

            await Task.Delay(Cycle - lastSnapshotAt.Elapsed > TimeSpan.Zero ? Cycle - lastSnapshotAt.Elapsed : TimeSpan.Zero);
            var down = Stopwatch.StartNew();
            await connector.ShutdownGuestAsync(vm.Id, TimeSpan.FromSeconds(30), CancellationToken.None);
            var final = await connector.CreateSnapshotAsync(vm.Id, "final", CancellationToken.None);
            await CopyAsync(final, previous);
            var downtime = down.Elapsed;

            var equal = true;
            foreach (var disk in vm.Disks)
            {
                await using var source = await connector.OpenSnapshotDiskAsync(vm.Id, final.Id, disk.Key, CancellationToken.None);
                await using var target = await BlockDevices.OpenAsync(Path.Combine(targets, disk.Key + ".raw"), new BlockDeviceOpenOptions(), CancellationToken.None);
                equal &= (await BlockVerifier.VerifyAsync(source, target, CancellationToken.None)).Equal;
            }

            return (baseline, downtime, equal);
        }
        finally
        {
            Directory.Delete(targets, recursive: true);
        }
    }
}
