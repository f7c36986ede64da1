using ProviderPortal.TestPeers.Disks;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// Issue 6's acceptance on the lab, end to end: the portal starts its own worker processes (the real executable,
/// connected over the real hub), the lab's guests keep writing, and plans go from baseline through delta cycles to a
/// group cutover. Destination disks are compared with the sources byte for byte.
/// </summary>
public sealed class ReplicationEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly MigrationPortal _portal = new() { LocalWorkers = true, LabWorkload = true };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Plan_TwoVmsWithWorkloads_BaselineTwoCyclesAndCutover_DestinationsEqualTheSourcesAtShutdown()
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync("e2e-group");
        var planId = await _portal.StartPlanAsync(tenant, environment, "Web and database", ["lab-web-01", "lab-db-01"], startOnDestination: true);

        await WaitForVmsAsync(planId, vms => vms.All(v => v.BaselineDone), "both baselines");
        for (var cycle = 1; cycle <= 2; cycle++)
        {
            await Task.Delay(500); // the guests write meanwhile
            var synced = await _portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().SyncNowAsync(planId));
            Assert.True(synced.Succeeded, synced.Message);
            var expected = cycle;
            await WaitForVmsAsync(planId, vms => vms.All(v => v.Cycles >= expected), $"delta cycle {cycle} of both VMs");
        }

        // Without a window, only staff start a cutover by hand (PlanPermissions; a tenant's runs in its approved window).
        var started = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, "operator@provider.example"));
        Assert.True(started.Succeeded, started.Message);
        await WaitForPlanAsync(planId, p => p.Status is PlanStatus.Completed or PlanStatus.RolledBack or PlanStatus.Failed, "the cutover");

        var (plan, vms, tasks) = await _portal.ReadPlanAsync(planId);
        Assert.True(plan.Status == PlanStatus.Completed, $"{plan.Status}: {plan.StatusReason}");
        foreach (var vm in vms)
        {
            Assert.Equal(VmReplicationState.Completed, vm.State);
            Assert.True(vm.Downtime > TimeSpan.Zero, $"{vm.VmName}: no downtime recorded");
            output.WriteLine($"{vm.VmName}: downtime {vm.Downtime!.Value.TotalSeconds:F2} s, {vm.Cycles} cycles after the baseline");

            // Each delta cycle carried the guests' writes; the copies were of changes only.
            var deltas = tasks.Where(t => t.VmReplicationId == vm.Id && t.Kind == ReplicationTaskKind.Delta && t.State == ReplicationTaskState.Succeeded).ToList();
            Assert.True(deltas.Count >= 2, $"{vm.VmName}: {deltas.Count} delta cycles");
            Assert.True(deltas.Sum(t => t.BytesTotal) > 0, $"{vm.VmName}: the cycles moved nothing although the guest writes");
            Assert.All(deltas, t => Assert.True(t.BytesTotal < vm.Disks.Sum(d => d.CapacityBytes) / 8, "a delta copied most of the disk"));

            // The source is off (not deleted), and every destination disk equals its disk as the source left it.
            var source = await LabDisks.VmAsync(_portal, environment, vm.VmId);
            Assert.Equal(VmPowerState.PoweredOff, source.PowerState);
            Assert.Empty(source.Snapshots);
            foreach (var disk in vm.Disks)
            {
                var live = await DiskHashes.Sha256Async(await LabDisks.LivePathAsync(_portal, environment, vm.VmId, disk.DiskKey));
                Assert.Equal(live, await DiskHashes.Sha256Async(disk.Target));
            }
        }

        // Started at the destination in boot order: the web server before the database.
        Assert.True(vms[0].StartedAtDestinationAt <= vms[1].StartedAtDestinationAt);
        Assert.Equal(["lab-web-01", "lab-db-01"], vms.Select(v => v.VmId));
    }

    [Fact]
    public async Task Cutover_OfAPlanThatAsksToRemoveTheSource_DeletesTheSourceOnlyAfterEverythingSucceeded()
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync("e2e-remove");
        var planId = await _portal.StartPlanAsync(tenant, environment, "Remove source", ["lab-app-01"], removeSource: true);
        await WaitForVmsAsync(planId, vms => vms.All(v => v.BaselineDone), "the baseline");
        Assert.Contains(await LabDisks.Connector(_portal, environment).GetInventoryAsync(CancellationToken.None), v => v.Id == "lab-app-01");

        // Without a window, only staff start a cutover by hand (PlanPermissions; a tenant's runs in its approved window).
        var started = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, "operator@provider.example"));
        Assert.True(started.Succeeded, started.Message);
        await WaitForPlanAsync(planId, p => p.Status is PlanStatus.Completed or PlanStatus.RolledBack or PlanStatus.Failed, "the cutover");

        var (plan, vms, _) = await _portal.ReadPlanAsync(planId);
        Assert.Equal(PlanStatus.Completed, plan.Status);
        Assert.Equal("The source VMs were removed, as the plan asked.", plan.StatusReason);
        Assert.True(File.Exists(vms.Single().Disks[0].Target), "the destination disk is gone");
        await using var connector = LabDisks.Connector(_portal, environment);
        var left = await connector.GetInventoryAsync(CancellationToken.None);
        Assert.DoesNotContain(left, v => v.Id == "lab-app-01");
        Assert.Contains(left, v => v.Id == "lab-web-01");
    }

    [Fact]
    public async Task Worker_KilledDuringTheBaseline_IsStartedAgain_AndTheCopyResumesFromItsCheckpoint()
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync("e2e-kill");
        var planId = await _portal.StartPlanAsync(tenant, environment, "Kill test", ["lab-app-01"], throttleMbps: 24);
        var supervisor = _portal.Services.GetRequiredService<LocalWorkerSupervisor>();

        // Wait for a checkpoint well into the copy, then kill the worker as a crash would.
        await WaitForTaskAsync(planId, t => t.State == ReplicationTaskState.Running && t.Disks[0].CheckpointOffset > 0 && t.Disks[0].BytesDone >= 4L << 20, "a checkpoint 4 MiB into the baseline");
        var (_, _, before) = await _portal.ReadPlanAsync(planId);
        var session = before.Single().WorkerSessionId;
        var pid = supervisor.ProcessIdOf(tenant.Id) ?? throw new InvalidOperationException("No local worker runs.");
        using (var kill = Process.Start("kill", ["-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var taskId = before.Single().Id;
        var sentBeforeKill = _portal.Progress.BytesDone(taskId);

        // The copy goes back to the queue (its session is gone) with the checkpoint it will resume from.
        await WaitForTaskAsync(planId, t => t.WorkerSessionId != session, "the killed worker's copy to be released");
        var (_, _, released) = await _portal.ReadPlanAsync(planId);
        var resumeFrom = released.Single().Disks[0];

        await WaitForTaskAsync(planId, t => t.State == ReplicationTaskState.Succeeded, "the resumed baseline");
        var restarted = supervisor.ProcessIdOf(tenant.Id);
        Assert.NotNull(restarted);
        Assert.NotEqual(pid, restarted);

        var (_, vms, tasks) = await _portal.ReadPlanAsync(planId);
        var task = tasks.Single();
        var sentAgain = sentBeforeKill - resumeFrom.BytesDone;
        output.WriteLine($"killed at {sentBeforeKill} of {task.BytesTotal} bytes; resumed from the checkpoint at {resumeFrom.BytesDone} (offset {resumeFrom.CheckpointOffset}); sent again: {sentAgain} bytes; the resumed attempt wrote {task.Disks[0].BytesWritten}");
        Assert.True(resumeFrom.CheckpointOffset > 0);
        Assert.True(sentAgain <= 1L << 20, $"{sentAgain} bytes were sent again: more than one range (1 MiB)");
        Assert.True(task.Disks[0].BytesWritten <= task.BytesTotal - resumeFrom.BytesDone, "the resumed attempt copied more than what lay above its checkpoint");

        // One snapshot served both attempts, and the destination equals it.
        var vm = vms.Single();
        Assert.Equal(task.SnapshotId, vm.SnapshotId);
        Assert.Single((await LabDisks.VmAsync(_portal, environment, "lab-app-01")).Snapshots);
        Assert.Equal(
            await LabDisks.SnapshotSha256Async(_portal, environment, vm.VmId, vm.SnapshotId!, vm.Disks[0].DiskKey),
            await DiskHashes.Sha256Async(vm.Disks[0].Target));
    }

    [Fact]
    public async Task Cutover_WhoseFinalCopyFails_RollsTheGroupBack_AndTheSourcesRunAgain()
    {
        var (tenant, environment) = await _portal.CreateLabTenantAsync("e2e-rollback");
        var planId = await _portal.StartPlanAsync(tenant, environment, "Rollback test", ["lab-web-01", "lab-app-01"]);
        await WaitForVmsAsync(planId, vms => vms.All(v => v.BaselineDone), "both baselines");

        // The destination of one disk breaks: its image is gone and a folder stands in its place.
        var (_, before, _) = await _portal.ReadPlanAsync(planId);
        var broken = before.Single(v => v.VmId == "lab-app-01").Disks[0].Target;
        File.Delete(broken);
        Directory.CreateDirectory(broken);

        // Without a window, only staff start a cutover by hand (PlanPermissions; a tenant's runs in its approved window).
        var started = await _portal.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<PlanRunService>().StartCutoverAsync(planId, "operator@provider.example"));
        Assert.True(started.Succeeded, started.Message);
        await WaitForPlanAsync(planId, p => p.Status is PlanStatus.Completed or PlanStatus.RolledBack or PlanStatus.Failed, "the cutover to end");

        var (plan, vms, _) = await _portal.ReadPlanAsync(planId);
        Assert.Equal(PlanStatus.RolledBack, plan.Status);
        Assert.Contains("lab-app-01", plan.StatusReason, StringComparison.Ordinal);
        Assert.DoesNotContain(_portal.DestinationRoot, plan.StatusReason, StringComparison.Ordinal); // the provider's paths stay hidden
        output.WriteLine($"rolled back: {plan.StatusReason}");
        Assert.All(vms, v => Assert.Equal(VmReplicationState.RolledBack, v.State));
        foreach (var vm in vms)
        {
            var source = await LabDisks.VmAsync(_portal, environment, vm.VmId);
            Assert.Equal(VmPowerState.PoweredOn, source.PowerState);
        }

        // The plan can go on replicating (and try again later).
        Directory.Delete(broken);
        var resumed = await _portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().ResumeAsync(planId));
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Equal(PlanStatus.Replicating, (await _portal.ReadPlanAsync(planId)).Plan.Status);
    }

    private Task WaitForVmsAsync(Guid planId, Func<List<VmReplication>, bool> condition, string what) =>
        MigrationPortal.WaitForAsync(async () => condition((await _portal.ReadPlanAsync(planId)).Vms), Limit, what);

    private Task WaitForPlanAsync(Guid planId, Func<MigrationPlan, bool> condition, string what) =>
        MigrationPortal.WaitForAsync(async () => condition((await _portal.ReadPlanAsync(planId)).Plan), Limit, what);

    private Task WaitForTaskAsync(Guid planId, Func<ReplicationTask, bool> condition, string what) =>
        MigrationPortal.WaitForAsync(async () => (await _portal.ReadPlanAsync(planId)).Tasks is [var task] && condition(task), Limit, what);
}
