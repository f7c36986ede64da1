using ProviderPortal.TestPeers.Disks;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Web.Tests.Infrastructure;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Migration;
using Xunit.Abstractions;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>
/// What a user does to running copies, with the real worker process: pause (the copy stops at once and keeps its
/// checkpoint), resume (it goes on from there), a new throttle (applied to the copy already running), and a portal
/// restart in the middle of a copy (the work continues).
/// </summary>
public sealed class PlanControlTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task RunningCopy_PausedResumedAndThrottledLive_FinishesEqualToItsSnapshot()
    {
        using var portal = new MigrationPortal { LocalWorkers = true };
        var (tenant, environment) = await portal.CreateLabTenantAsync("control-pause");
        var planId = await portal.StartPlanAsync(tenant, environment, "Pause test", ["lab-app-01"], throttleMbps: 8);
        await WaitForTaskAsync(portal, planId, t => t.State == ReplicationTaskState.Running && t.Disks[0].BytesDone >= 4L << 20, "4 MiB of the baseline");

        var pausedAt = DateTimeOffset.UtcNow;
        var paused = await portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().PauseAsync(planId));
        Assert.True(paused.Succeeded, paused.Message);
        var (plan, vms, tasks) = await portal.ReadPlanAsync(planId);
        Assert.Equal(PlanStatus.Paused, plan.Status);
        Assert.Equal(VmReplicationState.Paused, vms.Single().State);
        Assert.Equal(ReplicationTaskState.Queued, tasks.Single().State);

        // The worker stopped copying: no progress a moment after the pause, and nothing is handed out while paused.
        var taskId = tasks.Single().Id;
        await Task.Delay(1000);
        var quietSince = DateTimeOffset.UtcNow;
        await Task.Delay(1500);
        Assert.DoesNotContain(portal.Progress.Reports, r => r.TaskId == taskId && r.At > quietSince);
        Assert.Equal(ReplicationTaskState.Queued, (await portal.ReadPlanAsync(planId)).Tasks.Single().State);

        var resumed = await portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().ResumeAsync(planId));
        Assert.True(resumed.Succeeded, resumed.Message);
        await WaitForTaskAsync(portal, planId, t => t.State == ReplicationTaskState.Running, "the copy to run again");
        var resumedAt = DateTimeOffset.UtcNow;
        await MigrationPortal.WaitForAsync(() => Task.FromResult(portal.Progress.Reports.Any(r => r.TaskId == taskId && r.At > resumedAt)), Limit, "progress after resuming");

        // 8 Mbit/s is 1 MB/s; 400 Mbit/s lets the rest through at once. The copy already running takes it.
        var throttled = await portal.AsTenantAsync(tenant, s => s.GetRequiredService<PlanRunService>().SetThrottleAsync(planId, 400));
        Assert.True(throttled.Succeeded, throttled.Message);
        var raisedAt = DateTimeOffset.UtcNow;
        await WaitForTaskAsync(portal, planId, t => t.State == ReplicationTaskState.Succeeded, "the baseline to finish");

        // The rate the copy ran at under 8 Mbit/s (1 MB/s), from its bytes done over time before the pause (from
        // 1 MiB on: a token bucket lets a first burst through), against the rate after the throttle was raised.
        var throttledRun = portal.Progress.Reports.Where(r => r.TaskId == taskId && r.At < pausedAt && r.Report.Disks.Sum(d => d.BytesDone) >= 1L << 20).ToList();
        var before = Rate(throttledRun);
        var after = Rate([.. portal.Progress.Reports.Where(r => r.TaskId == taskId && r.At > raisedAt.AddMilliseconds(300))]);
        output.WriteLine($"at 8 Mbit/s: {before / 1e6:F2} MB/s over {throttledRun.Count} reports; after raising to 400 Mbit/s: {after / 1e6:F2} MB/s");
        Assert.True(throttledRun.Count >= 2, "too few reports under the throttle to measure");
        Assert.InRange(before, 0.2e6, 1.3e6);

        var (_, finalVms, finalTasks) = await portal.ReadPlanAsync(planId);
        var vm = finalVms.Single();
        Assert.Equal(VmReplicationState.Syncing, vm.State);
        Assert.Equal(finalTasks.Single().SnapshotId, vm.SnapshotId);
        Assert.Equal(
            await LabDisks.SnapshotSha256Async(portal, environment, vm.VmId, vm.SnapshotId!, vm.Disks[0].DiskKey),
            await DiskHashes.Sha256Async(vm.Disks[0].Target));
    }

    /// <summary>
    /// Pause and resume as a user does them from one open plan page (one long-lived scope, as a Blazor circuit holds):
    /// with two copies running and a third queued, twice. Every copy stops and waits, none starts while paused, each
    /// resume goes on from the checkpoints (no baseline is queued again), and in all the data crosses once, plus at most
    /// one range per disk for each resume.
    /// </summary>
    [Fact]
    public async Task PauseAndResume_CopiesRunningAndQueued_AllPauseAndEachResumeGoesOnFromItsCheckpoints()
    {
        using var portal = new MigrationPortal { LocalWorkers = true };
        var (tenant, environment) = await portal.CreateLabTenantAsync("control-queue");
        // Three VMs for the tenant's two concurrent copies: two run, one waits in the queue.
        var planId = await portal.StartPlanAsync(tenant, environment, "Queue test", ["lab-web-01", "lab-app-01", "lab-legacy-01"], throttleMbps: 16);
        await using var page = portal.ScopeFor(TestUsers.AdminOf(tenant));
        var runs = page.ServiceProvider.GetRequiredService<PlanRunService>();

        Dictionary<(Guid, string), long> checkpoints = [];
        for (var round = 1; round <= 2; round++)
        {
            await WaitForTasksAsync(portal, planId, tasks => tasks.Count(t => t.State == ReplicationTaskState.Running && t.Disks.Sum(d => d.CheckpointOffset) > 0) == 2
                && tasks.Count(t => t.State == ReplicationTaskState.Queued) == 1, $"two copies running past a checkpoint and one queued (round {round})");

            var paused = await runs.PauseAsync(planId);
            Assert.True(paused.Succeeded, $"round {round}: {paused.Message}");
            var (plan, vms, tasks) = await portal.ReadPlanAsync(planId);
            Assert.Equal(PlanStatus.Paused, plan.Status);
            Assert.All(vms, v => Assert.Equal(VmReplicationState.Paused, v.State));
            Assert.Equal(3, tasks.Count);
            Assert.All(tasks, t => Assert.Equal(ReplicationTaskState.Queued, t.State));
            checkpoints = tasks.SelectMany(t => t.Disks.Select(d => (Key: (t.Id, d.DiskKey), d.BytesDone))).ToDictionary(x => x.Key, x => x.BytesDone);

            // Nothing copies while paused: no progress a moment after the pause, and nothing is handed out.
            await Task.Delay(1000);
            var quietSince = DateTimeOffset.UtcNow;
            await Task.Delay(1500);
            Assert.DoesNotContain(portal.Progress.Reports, r => r.At > quietSince);
            Assert.All((await portal.ReadPlanAsync(planId)).Tasks, t => Assert.Equal(ReplicationTaskState.Queued, t.State));

            var resumedAt = DateTimeOffset.UtcNow;
            var resumed = await runs.ResumeAsync(planId);
            Assert.True(resumed.Succeeded, $"round {round}: {resumed.Message}");
            (plan, vms, _) = await portal.ReadPlanAsync(planId);
            Assert.Equal(PlanStatus.Replicating, plan.Status);
            Assert.All(vms, v => Assert.Equal(VmReplicationState.Baseline, v.State));

            // Each copy that had got somewhere goes on from its checkpoint: its first report after resuming is past it.
            var started = checkpoints.Where(c => c.Value > 0).Select(c => c.Key.Item1).Distinct().ToList();
            await MigrationPortal.WaitForAsync(() => Task.FromResult(started.All(id => portal.Progress.Reports.Any(r => r.TaskId == id && r.At > resumedAt))), Limit, "progress of the paused copies after resuming");
            foreach (var id in started)
            {
                var first = portal.Progress.Reports.First(r => r.TaskId == id && r.At > resumedAt).Report;
                foreach (var disk in first.Disks)
                {
                    Assert.True(disk.BytesDone >= checkpoints[(id, disk.DiskKey)], $"round {round}: {disk.DiskKey} of copy {id} started again at {disk.BytesDone} bytes, below its checkpoint at {checkpoints[(id, disk.DiskKey)]}");
                }
            }
        }

        var raised = await runs.SetThrottleAsync(planId, 400);
        Assert.True(raised.Succeeded, raised.Message);
        await WaitForTasksAsync(portal, planId, tasks => tasks.All(t => t.State == ReplicationTaskState.Succeeded), "every baseline to finish");

        var (_, finalVms, finalTasks) = await portal.ReadPlanAsync(planId);
        // One baseline per VM: resuming never queued a second one.
        Assert.Equal(3, finalTasks.Count);
        Assert.All(finalTasks, t => Assert.Equal(ReplicationTaskKind.Baseline, t.Kind));
        var rangeSize = 1L << 20;
        foreach (var task in finalTasks)
        {
            foreach (var disk in task.Disks)
            {
                // The attempt that finished wrote what was left after the last pause's checkpoint, and at most one range more.
                var left = disk.BytesTotal - checkpoints[(task.Id, disk.DiskKey)];
                output.WriteLine($"{task.VmId}/{disk.DiskKey}: {disk.BytesTotal} bytes, {checkpoints[(task.Id, disk.DiskKey)]} done at the last pause, the last attempt wrote {disk.BytesWritten}");
                Assert.True(disk.BytesWritten <= left + rangeSize, $"{task.VmId}/{disk.DiskKey}: the last attempt wrote {disk.BytesWritten} bytes, more than the {left} left plus one range");
            }
        }

        foreach (var vm in finalVms)
        {
            Assert.Equal(VmReplicationState.Syncing, vm.State);
            foreach (var disk in vm.Disks)
            {
                Assert.Equal(
                    await LabDisks.SnapshotSha256Async(portal, environment, vm.VmId, vm.SnapshotId!, disk.DiskKey),
                    await DiskHashes.Sha256Async(disk.Target));
            }
        }
    }

    [Fact]
    public async Task Portal_RestartedDuringACopy_TheWorkContinuesFromTheCheckpoint()
    {
        var first = new MigrationPortal { LocalWorkers = true, KeepDataDirectory = true };
        var (tenant, environment) = await first.CreateLabTenantAsync("control-restart");
        // 8 Mbit/s: the 20 MiB left after the checkpoint take 20 s, far longer than the portal takes to stop on a busy machine.
        var planId = await first.StartPlanAsync(tenant, environment, "Restart test", ["lab-app-01"], throttleMbps: 8);
        await WaitForTaskAsync(first, planId, t => t.State == ReplicationTaskState.Running && t.Disks[0].CheckpointOffset > 0 && t.Disks[0].BytesDone >= 4L << 20, "a checkpoint 4 MiB into the baseline");
        first.Dispose();

        using var second = new MigrationPortal { LocalWorkers = true, DataDirectory = first.DataDirectory };
        var (_, _, carried) = await second.ReadPlanAsync(planId);
        var checkpoint = carried.Single().Disks[0];
        output.WriteLine($"restarted with the copy at its checkpoint {checkpoint.BytesDone} of {checkpoint.BytesTotal} bytes");
        Assert.True(checkpoint.CheckpointOffset > 0);
        Assert.False(checkpoint.Done, "the copy finished before the portal stopped: nothing was left to resume");

        await WaitForTaskAsync(second, planId, t => t.State == ReplicationTaskState.Succeeded, "the baseline to finish on the restarted portal");
        var (_, vms, tasks) = await second.ReadPlanAsync(planId);
        var vm = vms.Single();
        // What the attempt on the restarted portal wrote: the disk's count is cumulative over the attempts that finished it.
        var writtenAfterRestart = tasks.Single().Disks[0].BytesWritten - checkpoint.BytesWritten;
        output.WriteLine($"the attempt after the restart wrote {writtenAfterRestart} bytes");
        Assert.True(writtenAfterRestart <= checkpoint.BytesTotal - checkpoint.BytesDone, "the copy started again instead of resuming");
        Assert.Equal(
            await LabDisks.SnapshotSha256Async(second, environment, vm.VmId, vm.SnapshotId!, vm.Disks[0].DiskKey),
            await DiskHashes.Sha256Async(vm.Disks[0].Target));
    }

    /// <summary>Bytes per second between the first and the last of the reports (0 with fewer than two).</summary>
    private static double Rate(IReadOnlyList<(Guid TaskId, DateTimeOffset At, Domain.Workers.Protocol.ProgressReport Report)> reports) =>
        reports.Count < 2 ? 0 : (reports[^1].Report.Disks.Sum(d => d.BytesDone) - reports[0].Report.Disks.Sum(d => d.BytesDone)) / (reports[^1].At - reports[0].At).TotalSeconds;

    private static Task WaitForTasksAsync(MigrationPortal portal, Guid planId, Func<List<ReplicationTask>, bool> condition, string what) =>
        MigrationPortal.WaitForAsync(async () => condition((await portal.ReadPlanAsync(planId)).Tasks), Limit, what);

    private static Task WaitForTaskAsync(MigrationPortal portal, Guid planId, Func<ReplicationTask, bool> condition, string what) =>
        MigrationPortal.WaitForAsync(async () => (await portal.ReadPlanAsync(planId)).Tasks is [var task] && condition(task), Limit, what);
}
