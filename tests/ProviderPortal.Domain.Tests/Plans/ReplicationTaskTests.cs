using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Domain.Tests.Plans;

/// <summary>A copy keeps what resuming needs: one snapshot, checkpoints that only move forward, attempts counted fairly.</summary>
public class ReplicationTaskTests
{
    private static readonly Guid Session = Guid.NewGuid();

    private static readonly Dictionary<string, string?> ChangeIds = new() { ["2000"] = "c1", ["2001"] = "c2" };

    private static VmReplication Vm()
    {
        var vm = VmReplication.Create(Given.Plan(), new PlanVm("vm-1", "web", 1),
            [new DiskReplication("2000", "Hard disk 1", 1 << 20, "/t/2000.img", "old-a", 0), new DiskReplication("2001", "Hard disk 2", 1 << 20, "/t/2001.img", null, 0)]);
        vm.BeginBaseline(Given.Now);
        return vm;
    }

    private static ReplicationTask Running(ReplicationTaskKind kind = ReplicationTaskKind.Baseline)
    {
        var task = ReplicationTask.QueueFor(Vm(), kind, Given.Now);
        task.Assign(Session, Given.Now.AddSeconds(1));
        return task;
    }

    [Fact]
    public void QueueFor_Baseline_EveryDiskFromNothing()
    {
        var task = ReplicationTask.QueueFor(Vm(), ReplicationTaskKind.Baseline, Given.Now);

        Assert.Equal(ReplicationTaskState.Queued, task.State);
        Assert.Equal([null, null], task.Disks.Select(d => d.SinceChangeId));
        Assert.Equal(0, task.Attempts);
    }

    [Fact]
    public void QueueFor_Delta_FromEachDisksChangeId()
    {
        var task = ReplicationTask.QueueFor(Vm(), ReplicationTaskKind.Delta, Given.Now);

        Assert.Equal(["old-a", null], task.Disks.Select(d => d.SinceChangeId));
    }

    [Fact]
    public void Assign_Queued_RunningOnTheSession()
    {
        var task = Running();

        Assert.Equal(ReplicationTaskState.Running, task.State);
        Assert.Equal(Session, task.WorkerSessionId);
        Assert.Equal(1, task.Attempts);
        Assert.Equal(Given.Now.AddSeconds(1), task.StartedAt);
    }

    [Fact]
    public void Assign_Running_Refused()
    {
        var task = Running();

        var error = Assert.Throws<DomainException>(() => task.Assign(Guid.NewGuid(), Given.Now));

        Assert.Equal("A copy that is Running cannot be assigned.", error.Message);
        Assert.Equal(Session, task.WorkerSessionId);
    }

    [Fact]
    public void RecordSnapshot_SameAgain_Allowed()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);

        task.RecordSnapshot("snap-1", ChangeIds);

        Assert.Equal("snap-1", task.SnapshotId);
    }

    [Fact]
    public void RecordSnapshot_SecondDifferent_RefusedAndFirstKept()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);

        var error = Assert.Throws<DomainException>(() => task.RecordSnapshot("snap-2", new Dictionary<string, string?> { ["2000"] = "x" }));

        Assert.Equal("The copy already uses snapshot snap-1.", error.Message);
        Assert.Equal("snap-1", task.SnapshotId);
        Assert.Equal("c1", task.SnapshotChangeIds["2000"]);
    }

    [Fact]
    public void RecordSnapshot_KeptAcrossARelease_NextAttemptMustUseIt()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);
        task.Release("worker lost", Given.Now, countsAsFailure: false);
        task.Assign(Guid.NewGuid(), Given.Now);

        Assert.Throws<DomainException>(() => task.RecordSnapshot("snap-2", ChangeIds));
        Assert.Equal("snap-1", task.SnapshotId);
    }

    [Fact]
    public void RecordCheckpoint_SameCopyPlan_OnlyMovesForward()
    {
        var task = Running();

        task.RecordCheckpoint("2000", "plan-a", 4096, 4096);
        task.RecordCheckpoint("2000", "plan-a", 1024, 1024);

        var disk = task.Disks.Single(d => d.DiskKey == "2000");
        Assert.Equal(4096, disk.CheckpointOffset);
        Assert.Equal(4096, disk.BytesDone);
        Assert.Equal("plan-a", disk.CheckpointPlanId);
    }

    [Fact]
    public void RecordCheckpoint_NewCopyPlan_StartsFromItsOwnOffset()
    {
        var task = Running();
        task.RecordCheckpoint("2000", "plan-a", 8192, 8192);

        task.RecordCheckpoint("2000", "plan-b", 512, 512);

        var disk = task.Disks.Single(d => d.DiskKey == "2000");
        Assert.Equal("plan-b", disk.CheckpointPlanId);
        Assert.Equal(512, disk.CheckpointOffset);
    }

    [Fact]
    public void RecordCheckpoint_UnknownDisk_Refused()
    {
        var error = Assert.Throws<DomainException>(() => Running().RecordCheckpoint("9999", "plan-a", 1, 1));

        Assert.Equal("The copy has no disk 9999.", error.Message);
    }

    [Fact]
    public void RecordCheckpoint_Queued_Refused()
    {
        var task = ReplicationTask.QueueFor(Vm(), ReplicationTaskKind.Baseline, Given.Now);

        var error = Assert.Throws<DomainException>(() => task.RecordCheckpoint("2000", "plan-a", 1, 1));

        Assert.Equal("A copy that is Queued cannot record a checkpoint.", error.Message);
    }

    [Fact]
    public void Release_NotAFailure_AttemptNotUsedUpAndCheckpointsKept()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);
        task.RecordCheckpoint("2000", "plan-a", 4096, 4096);

        for (var i = 0; i < ReplicationTask.MaxAttempts * 2; i++)
        {
            task.Release("worker lost", Given.Now, countsAsFailure: false);
            Assert.Equal(ReplicationTaskState.Queued, task.State);
            task.Assign(Guid.NewGuid(), Given.Now);
        }

        Assert.Equal(1, task.Attempts);
        Assert.Equal(4096, task.Disks.Single(d => d.DiskKey == "2000").CheckpointOffset);
        Assert.Equal("worker lost", task.Error);
    }

    [Fact]
    public void Release_Failures_QueuedUntilMaxAttemptsThenFailed()
    {
        var task = Running();

        for (var attempt = 1; attempt < ReplicationTask.MaxAttempts; attempt++)
        {
            task.Release($"attempt {attempt} failed", Given.Now, countsAsFailure: true);
            Assert.Equal(ReplicationTaskState.Queued, task.State);
            Assert.Null(task.WorkerSessionId);
            task.Assign(Session, Given.Now);
        }

        task.Release("last attempt failed", Given.Now.AddMinutes(1), countsAsFailure: true);

        Assert.Equal(ReplicationTaskState.Failed, task.State);
        Assert.Equal(ReplicationTask.MaxAttempts, task.Attempts);
        Assert.Equal("last attempt failed", task.Error);
        Assert.Equal(Given.Now.AddMinutes(1), task.FinishedAt);
    }

    [Fact]
    public void Complete_DiskNotDone_Refused()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);
        task.RecordDiskDone("2000", 100, 100);

        var error = Assert.Throws<DomainException>(() => task.Complete(Given.Now));

        Assert.Equal("A copy completes only when its snapshot was taken and every disk is done.", error.Message);
        Assert.Equal(ReplicationTaskState.Running, task.State);
    }

    [Fact]
    public void Complete_NoSnapshot_Refused()
    {
        var task = Running();
        task.RecordDiskDone("2000", 100, 100);
        task.RecordDiskDone("2001", 100, 100);

        Assert.Throws<DomainException>(() => task.Complete(Given.Now));
    }

    [Fact]
    public void Complete_EveryDiskDone_SucceededAndFreesTheWorker()
    {
        var task = Running();
        task.RecordSnapshot("snap-1", ChangeIds);
        task.RecordPlanned("2000", 300);
        task.RecordDiskDone("2000", 300, 200);
        task.RecordDiskDone("2001", 100, 100);

        task.Complete(Given.Now.AddMinutes(5));

        Assert.Equal(ReplicationTaskState.Succeeded, task.State);
        Assert.Null(task.WorkerSessionId);
        Assert.Equal(400, task.BytesTotal);
        Assert.Equal(400, task.BytesDone);
        Assert.Equal(Given.Now.AddMinutes(5), task.FinishedAt);
    }

    [Fact]
    public void Fail_Running_FailedForGood()
    {
        var task = Running();

        task.Fail("the source disk is gone", Given.Now);

        Assert.Equal(ReplicationTaskState.Failed, task.State);
        Assert.Equal("A copy that is Failed cannot be released.", Assert.Throws<DomainException>(() => task.Release(null, Given.Now, false)).Message);
    }

    [Fact]
    public void Cancel_QueuedOrRunning_CancelledAndNotAgain()
    {
        var queued = ReplicationTask.QueueFor(Vm(), ReplicationTaskKind.Delta, Given.Now);
        var running = Running();

        queued.Cancel(Given.Now);
        running.Cancel(Given.Now);

        Assert.Equal(ReplicationTaskState.Cancelled, queued.State);
        Assert.Null(running.WorkerSessionId);
        Assert.Equal("A copy that is Cancelled cannot be cancelled.", Assert.Throws<DomainException>(() => running.Cancel(Given.Now)).Message);
    }

    [Fact]
    public void QueueSeed_LoadThenIngest_TheIngestCarriesTheLoadedSnapshotAndRemovesNothing()
    {
        var vm = Vm();
        var order = Guid.NewGuid();

        var load = ReplicationTask.QueueSeed(vm, ReplicationTaskKind.SeedLoad, order, ["/mnt/seed1", "/mnt/seed2"], Given.Now);
        Assert.Equal((order, (string?)null, (string?)null), (load.SeedOrderId, load.SnapshotId, load.PreviousSnapshotId));
        Assert.Equal(["/mnt/seed1", "/mnt/seed2"], load.SeedFolders);
        Assert.Equal([null, null], load.Disks.Select(d => d.SinceChangeId));
        Assert.True(load.IsSeed);

        vm.RecordSeedLoaded("seed-snap", ChangeIds, Given.Now.AddHours(1));
        var ingest = ReplicationTask.QueueSeed(vm, ReplicationTaskKind.SeedIngest, order, ["/srv/in/seed1"], Given.Now.AddDays(8));
        Assert.Equal(("seed-snap", (string?)null), (ingest.SnapshotId, ingest.PreviousSnapshotId));
        Assert.Equal(["/t/2000.img", "/t/2001.img"], ingest.Disks.Select(d => d.Target));

        ingest.Assign(Session, Given.Now.AddDays(8));
        ingest.RecordSeedChunks(40);
        ingest.RecordSeedChunks(2);
        Assert.Equal(42, ingest.SeedChunks);
    }

    [Fact]
    public void QueueSeed_Refusals_NamedPlainly()
    {
        var vm = Vm();

        Assert.Equal("web was never loaded onto the seed devices.",
            Assert.Throws<DomainException>(() => ReplicationTask.QueueSeed(vm, ReplicationTaskKind.SeedIngest, Guid.NewGuid(), ["/mnt/seed1"], Given.Now)).Message);
        Assert.Equal("Name the folder where each device is mounted.",
            Assert.Throws<DomainException>(() => ReplicationTask.QueueSeed(vm, ReplicationTaskKind.SeedLoad, Guid.NewGuid(), ["/mnt/seed1", " "], Given.Now)).Message);
        Assert.Equal("A Delta copy does not use seed devices.",
            Assert.Throws<DomainException>(() => ReplicationTask.QueueSeed(vm, ReplicationTaskKind.Delta, Guid.NewGuid(), ["/mnt/seed1"], Given.Now)).Message);
    }
}
