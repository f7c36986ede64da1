using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Domain.Tests.Plans;

/// <summary>One VM's way to the destination, step by step, and the steps it may not take.</summary>
public class VmReplicationTests
{
    private static VmReplication Pending() =>
        VmReplication.Create(Given.Plan(), new PlanVm("vm-1", "web", 1),
            [new DiskReplication("2000", "Hard disk 1", 4 << 20, "/d/t/p/vm-1/2000.img", null, 0), new DiskReplication("2001", "Hard disk 2", 2 << 20, "/d/t/p/vm-1/2001.img", null, 0)]);

    private static void Copy(VmReplication vm, string snapshot, long bytes, DateTimeOffset at) =>
        vm.CompleteCopy(snapshot, new Dictionary<string, string?> { ["2000"] = snapshot + "-a", ["2001"] = snapshot + "-b" },
            new Dictionary<string, long> { ["2000"] = bytes, ["2001"] = bytes }, TimeSpan.FromSeconds(20), at);

    private static VmReplication InState(VmReplicationState state)
    {
        var vm = Pending();
        if (state == VmReplicationState.Pending)
        {
            return vm;
        }

        vm.BeginBaseline(Given.Now);
        if (state != VmReplicationState.Baseline)
        {
            Copy(vm, "s0", 100, Given.Now.AddMinutes(10));
        }

        if (state is VmReplicationState.ReadyForCutover or VmReplicationState.CuttingOver or VmReplicationState.Completed or VmReplicationState.RolledBack)
        {
            Copy(vm, "s1", 10, Given.Now.AddMinutes(20));
        }

        if (state is VmReplicationState.CuttingOver or VmReplicationState.Completed or VmReplicationState.RolledBack)
        {
            vm.BeginCutover();
        }

        if (state == VmReplicationState.Completed)
        {
            vm.SourceStopping(Given.Now.AddMinutes(30));
            vm.CompleteCutover(Given.Now.AddMinutes(31));
        }
        else if (state == VmReplicationState.RolledBack)
        {
            vm.RollBack("verify failed");
        }
        else if (state == VmReplicationState.Paused)
        {
            vm.Pause();
        }
        else if (state == VmReplicationState.Failed)
        {
            vm.Fail("source disk gone");
        }

        Assert.Equal(state, vm.State);
        return vm;
    }

    [Fact]
    public void Create_NoDisks_RefusedNamingTheVm()
    {
        var error = Assert.Throws<DomainException>(() => VmReplication.Create(Given.Plan(), new PlanVm("vm-1", "web", 1), []));

        Assert.Equal("web has no disks to replicate.", error.Message);
    }

    [Fact]
    public void WholePath_PendingToCompleted_EveryStepRecorded()
    {
        var vm = Pending();
        Assert.Equal(VmReplicationState.Pending, vm.State);
        Assert.Equal(6 << 20, vm.CapacityBytes);

        vm.BeginBaseline(Given.Now);
        Assert.Equal(VmReplicationState.Baseline, vm.State);
        Assert.False(vm.BaselineDone);

        Copy(vm, "s0", 1000, Given.Now.AddMinutes(10));
        Assert.Equal(VmReplicationState.Syncing, vm.State);
        Assert.True(vm.BaselineDone);
        Assert.Equal(Given.Now.AddMinutes(10), vm.BaselineCompletedAt);
        Assert.Equal(0, vm.Cycles);
        Assert.Equal("s0", vm.SnapshotId);

        Copy(vm, "s1", 10, Given.Now.AddMinutes(20));
        Assert.Equal(VmReplicationState.ReadyForCutover, vm.State);
        Assert.Equal(1, vm.Cycles);

        Copy(vm, "s2", 5, Given.Now.AddMinutes(30));
        Assert.Equal(VmReplicationState.ReadyForCutover, vm.State);
        Assert.Equal(2, vm.Cycles);
        Assert.Equal(10, vm.LastCycleBytes);
        Assert.Equal(20, vm.LastCycleSeconds);
        Assert.Equal([1015L, 1015L], vm.Disks.Select(d => d.BytesCopied));
        Assert.Equal(["s2-a", "s2-b"], vm.Disks.Select(d => d.ChangeId));

        vm.BeginCutover();
        Assert.Equal(VmReplicationState.CuttingOver, vm.State);
        vm.SourceStopping(Given.Now.AddMinutes(40));
        Copy(vm, "s3", 1, Given.Now.AddMinutes(41));
        vm.StartedAtDestination(Given.Now.AddMinutes(42));
        vm.CompleteCutover(Given.Now.AddMinutes(43));

        Assert.Equal(VmReplicationState.Completed, vm.State);
        Assert.Equal(3, vm.Cycles);
        Assert.Equal(Given.Now.AddMinutes(42), vm.StartedAtDestinationAt);
        Assert.Equal("s3", vm.SnapshotId);
    }

    [Fact]
    public void CompleteCutover_Downtime_FromSourceStoppingToCompletion()
    {
        var vm = InState(VmReplicationState.CuttingOver);

        vm.SourceStopping(Given.Now.AddHours(1));
        vm.CompleteCutover(Given.Now.AddHours(1).AddSeconds(95));

        Assert.Equal(TimeSpan.FromSeconds(95), vm.Downtime);
    }

    [Fact]
    public void CompleteCutover_SourceNeverStopped_RefusedPlainly()
    {
        var vm = InState(VmReplicationState.CuttingOver);

        var error = Assert.Throws<DomainException>(() => vm.CompleteCutover(Given.Now));

        Assert.Equal("web cannot complete its cutover: its source was never stopped.", error.Message);
        Assert.Equal(VmReplicationState.CuttingOver, vm.State);
        Assert.Null(vm.Downtime);
    }

    [Fact]
    public void BeginCutover_AfterRollback_StartsTheDowntimeAfresh()
    {
        var vm = InState(VmReplicationState.CuttingOver);
        vm.SourceStopping(Given.Now.AddHours(1));
        vm.RollBack("verify failed");
        vm.ResumeAfterRollback();

        vm.BeginCutover();

        Assert.Null(vm.SourceStoppedAt);
        Assert.Null(vm.Downtime);
        Assert.Null(vm.Error);
    }

    [Theory]
    [InlineData(VmReplicationState.Pending)]
    [InlineData(VmReplicationState.Baseline)]
    [InlineData(VmReplicationState.Syncing)]
    [InlineData(VmReplicationState.ReadyForCutover)]
    public void PauseResume_ReturnsToTheStateBefore(VmReplicationState state)
    {
        var vm = InState(state);

        vm.Pause();
        Assert.Equal(VmReplicationState.Paused, vm.State);
        Assert.Equal(state, vm.PausedFrom);
        vm.Resume();

        Assert.Equal(state, vm.State);
        Assert.Null(vm.PausedFrom);
    }

    [Theory]
    [InlineData(VmReplicationState.Paused)]
    [InlineData(VmReplicationState.CuttingOver)]
    [InlineData(VmReplicationState.Completed)]
    [InlineData(VmReplicationState.RolledBack)]
    [InlineData(VmReplicationState.Failed)]
    public void Pause_NotCopying_Refused(VmReplicationState state)
    {
        var error = Assert.Throws<DomainException>(() => InState(state).Pause());

        Assert.Equal($"web cannot pause: it is {state}.", error.Message);
    }

    [Fact]
    public void Resume_NotPaused_Refused()
    {
        var error = Assert.Throws<DomainException>(() => InState(VmReplicationState.Syncing).Resume());

        Assert.Equal("web cannot resume: it is Syncing.", error.Message);
    }

    [Fact]
    public void BeginBaseline_Again_AllowedAndKeepsTheFirstStart()
    {
        var vm = InState(VmReplicationState.Baseline);

        vm.BeginBaseline(Given.Now.AddHours(2));

        Assert.Equal(Given.Now, vm.BaselineStartedAt);
    }

    [Fact]
    public void BeginBaseline_AfterBaseline_Refused()
    {
        var error = Assert.Throws<DomainException>(() => InState(VmReplicationState.Syncing).BeginBaseline(Given.Now));

        Assert.Equal("web cannot start its baseline: it is Syncing.", error.Message);
    }

    [Theory]
    [InlineData(VmReplicationState.Pending)]
    [InlineData(VmReplicationState.Paused)]
    [InlineData(VmReplicationState.Completed)]
    [InlineData(VmReplicationState.RolledBack)]
    public void CompleteCopy_NotCopying_Refused(VmReplicationState state)
    {
        var vm = InState(state);

        var error = Assert.Throws<DomainException>(() => Copy(vm, "sx", 1, Given.Now));

        Assert.Equal($"web cannot record a copy: it is {state}.", error.Message);
    }

    [Theory]
    [InlineData(VmReplicationState.Pending)]
    [InlineData(VmReplicationState.Baseline)]
    [InlineData(VmReplicationState.Paused)]
    [InlineData(VmReplicationState.Completed)]
    public void BeginCutover_BeforeBaselineOrAfterEnd_Refused(VmReplicationState state)
    {
        var error = Assert.Throws<DomainException>(() => InState(state).BeginCutover());

        Assert.Equal($"web cannot cut over: it is {state}.", error.Message);
    }

    [Fact]
    public void BeginCutover_SyncingWithoutACycle_Allowed()
    {
        var vm = InState(VmReplicationState.Syncing);

        vm.BeginCutover();

        Assert.Equal(VmReplicationState.CuttingOver, vm.State);
    }

    [Theory]
    [InlineData(VmReplicationState.Syncing)]
    [InlineData(VmReplicationState.Completed)]
    public void SourceStoppingAndRollBack_NotCuttingOver_Refused(VmReplicationState state)
    {
        var vm = InState(state);

        Assert.Equal($"web cannot stop its source: it is {state}.", Assert.Throws<DomainException>(() => vm.SourceStopping(Given.Now)).Message);
        Assert.Equal($"web cannot roll back: it is {state}.", Assert.Throws<DomainException>(() => vm.RollBack("x")).Message);
        Assert.Equal($"web cannot start at the destination: it is {state}.", Assert.Throws<DomainException>(() => vm.StartedAtDestination(Given.Now)).Message);
    }

    [Fact]
    public void RollBack_ThenResume_ReadyAgainFromTheSameSnapshot()
    {
        var vm = InState(VmReplicationState.CuttingOver);

        vm.RollBack("verify failed");
        Assert.Equal(VmReplicationState.RolledBack, vm.State);
        Assert.Equal("verify failed", vm.Error);
        vm.ResumeAfterRollback();

        Assert.Equal(VmReplicationState.ReadyForCutover, vm.State);
        Assert.Equal("s1", vm.SnapshotId);
        Assert.Null(vm.Error);
    }

    [Fact]
    public void ResumeAfterRollback_NoCycleYet_BackToSyncing()
    {
        var vm = InState(VmReplicationState.Syncing);
        vm.BeginCutover();
        vm.RollBack("verify failed");

        vm.ResumeAfterRollback();

        Assert.Equal(VmReplicationState.Syncing, vm.State);
    }

    [Fact]
    public void ResumeAfterRollback_NotRolledBack_Refused()
    {
        var error = Assert.Throws<DomainException>(() => InState(VmReplicationState.CuttingOver).ResumeAfterRollback());

        Assert.Equal("web cannot resume after a rollback: it is CuttingOver.", error.Message);
    }

    [Theory]
    [InlineData(VmReplicationState.Completed)]
    [InlineData(VmReplicationState.Failed)]
    public void Fail_CompletedOrFailed_Refused(VmReplicationState state)
    {
        var error = Assert.Throws<DomainException>(() => InState(state).Fail("again"));

        Assert.Equal($"web is {state} and cannot fail.", error.Message);
    }

    [Fact]
    public void Fail_Copying_FailedWithReason()
    {
        var vm = InState(VmReplicationState.Syncing);

        vm.Fail("source disk gone");

        Assert.Equal(VmReplicationState.Failed, vm.State);
        Assert.Equal("source disk gone", vm.Error);
    }

    [Fact]
    public void Seed_LoadedThenIngested_SyncingFromTheSeedSnapshot_TheFirstDeltaStartsFromItsChangeIds()
    {
        var vm = Pending();
        vm.BeginBaseline(Given.Now);

        vm.RecordSeedLoaded("seed-snap", new Dictionary<string, string?> { ["2000"] = "cbt-a", ["2001"] = "cbt-b" }, Given.Now.AddHours(1));
        Assert.Equal(VmReplicationState.Baseline, vm.State);
        Assert.False(vm.BaselineDone);
        Assert.Null(vm.SnapshotId);

        vm.CompleteSeedIngest(new Dictionary<string, long> { ["2000"] = 3 << 20, ["2001"] = 1 << 20 }, TimeSpan.FromMinutes(2), Given.Now.AddDays(9));

        Assert.Equal(VmReplicationState.Syncing, vm.State);
        Assert.Equal(("seed-snap", Given.Now.AddDays(9)), (vm.SnapshotId, vm.BaselineCompletedAt));
        Assert.Equal(["cbt-a", "cbt-b"], vm.Disks.Select(d => d.ChangeId));
        Assert.Equal(4L << 20, vm.Disks.Sum(d => d.BytesCopied));
        var delta = ReplicationTask.QueueFor(vm, ReplicationTaskKind.Delta, Given.Now.AddDays(9));
        Assert.Equal(["cbt-a", "cbt-b"], delta.Disks.Select(d => d.SinceChangeId));
        Assert.Equal("seed-snap", delta.PreviousSnapshotId);
    }

    [Fact]
    public void CompleteSeedIngest_NeverLoaded_RefusedAndNothingChanges()
    {
        var vm = Pending();

        var error = Assert.Throws<DomainException>(() => vm.CompleteSeedIngest(new Dictionary<string, long>(), TimeSpan.Zero, Given.Now));

        Assert.Equal("web was never loaded onto a seed device.", error.Message);
        Assert.Equal((VmReplicationState.Pending, false), (vm.State, vm.BaselineDone));
    }

    [Theory]
    [InlineData(VmReplicationState.Syncing)]
    [InlineData(VmReplicationState.CuttingOver)]
    [InlineData(VmReplicationState.Completed)]
    public void Seed_AfterTheBaseline_Refused(VmReplicationState state)
    {
        var vm = InState(state);

        var load = Assert.Throws<DomainException>(() => vm.RecordSeedLoaded("late", new Dictionary<string, string?>(), Given.Now));
        var ingest = Assert.Throws<DomainException>(() => vm.CompleteSeedIngest(new Dictionary<string, long>(), TimeSpan.Zero, Given.Now));

        Assert.Equal($"web cannot be loaded onto a seed device: it is {state}.", load.Message);
        Assert.Equal($"web cannot complete its baseline from a seed device: it is {state}.", ingest.Message);
        Assert.Null(vm.SeedSnapshotId);
    }
}
