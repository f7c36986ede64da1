using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Domain.Tests.Plans;

/// <summary>Every transition of a plan, allowed and refused, with the words a user reads when it is refused.</summary>
public class MigrationPlanTransitionTests
{
    private static readonly Guid Destination = Guid.NewGuid();

    private static PlanDetails Details(string name = "Web tier") =>
        new(name, [new PlanVm("vm-1", "web", 1), new PlanVm("vm-2", "db", 2)], PlanMethod.Network, false, false, 15, null);

    private static MigrationPlan Draft() => MigrationPlan.Create(Guid.NewGuid(), Details(), Given.Now);

    private static VmReplication Vm(string name, bool baselineDone)
    {
        var vm = VmReplication.Create(Given.Plan(), new PlanVm("id-" + name, name, 1), [new DiskReplication("2000", "Hard disk 1", 1 << 20, "/t/d.img", null, 0)]);
        vm.BeginBaseline(Given.Now);
        if (baselineDone)
        {
            vm.CompleteCopy("snap-1", new Dictionary<string, string?> { ["2000"] = "c1" }, new Dictionary<string, long> { ["2000"] = 1 << 20 }, TimeSpan.FromMinutes(1), Given.Now);
        }

        return vm;
    }

    private static MigrationPlan InState(PlanStatus status)
    {
        var plan = Draft();
        if (status == PlanStatus.Draft)
        {
            return plan;
        }

        if (status == PlanStatus.Cancelled)
        {
            plan.Cancel("not needed");
            return plan;
        }

        plan.SetDestination(Destination, [new NetworkMapping("VM Network", "prod")]);
        plan.Start(Given.Now);
        switch (status)
        {
            case PlanStatus.Paused:
                plan.Pause();
                break;
            case PlanStatus.CuttingOver:
                plan.BeginCutover([Vm("web", true)], "ada@acme.example", Given.Now);
                break;
            case PlanStatus.Completed:
                plan.BeginCutover([Vm("web", true)], "ada@acme.example", Given.Now);
                plan.CompleteCutover(Given.Now.AddMinutes(10));
                break;
            case PlanStatus.RolledBack:
                plan.BeginCutover([Vm("web", true)], "ada@acme.example", Given.Now);
                plan.RollBack("the final delta failed", Given.Now.AddMinutes(5));
                break;
            case PlanStatus.Failed:
                plan.BeginCutover([Vm("web", true)], "ada@acme.example", Given.Now);
                plan.Fail("db did not boot", Given.Now.AddMinutes(5));
                break;
        }

        Assert.Equal(status, plan.Status);
        return plan;
    }

    [Fact]
    public void NoteSourceRemoval_CompletedPlanThatAskedForIt_IsWhatThePlanSays()
    {
        var plan = MigrationPlan.Create(Guid.NewGuid(), Details() with { RemoveSourceAfterSuccess = true }, Given.Now);
        plan.SetDestination(Destination, []);
        plan.Start(Given.Now);
        plan.BeginCutover([Vm("web", true)], "ada@acme.example", Given.Now);
        plan.CompleteCutover(Given.Now.AddMinutes(10));

        plan.NoteSourceRemoval("The source VMs were removed, as the plan asked.");

        Assert.Equal("The source VMs were removed, as the plan asked.", plan.StatusReason);
    }

    [Fact]
    public void NoteSourceRemoval_PlanThatKeepsItsSources_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => InState(PlanStatus.Completed).NoteSourceRemoval("removed"));

        Assert.Equal("This plan keeps its source VMs.", error.Message);
    }

    [Theory]
    [InlineData(PlanStatus.CuttingOver)]
    [InlineData(PlanStatus.RolledBack)]
    [InlineData(PlanStatus.Failed)]
    public void NoteSourceRemoval_BeforeOrWithoutASuccessfulCutover_IsRefused(PlanStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).NoteSourceRemoval("removed"));

        Assert.StartsWith("Sources are removed only after a completed cutover.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetDestination_Draft_KeepsDestinationAndTrimmedMappings()
    {
        var plan = Draft();

        plan.SetDestination(Destination, [new NetworkMapping(" VM Network ", " prod "), new NetworkMapping("DMZ", "dmz")]);

        Assert.Equal(Destination, plan.DestinationId);
        Assert.Equal([new NetworkMapping("VM Network", "prod"), new NetworkMapping("DMZ", "dmz")], plan.NetworkMappings);
    }

    [Theory]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Paused)]
    [InlineData(PlanStatus.CuttingOver)]
    [InlineData(PlanStatus.Completed)]
    [InlineData(PlanStatus.Cancelled)]
    public void SetDestination_NotDraft_RefusedPlainly(PlanStatus status)
    {
        var plan = InState(status);

        var error = Assert.Throws<DomainException>(() => plan.SetDestination(Guid.NewGuid(), []));

        Assert.StartsWith("The destination can change only while the plan is a draft. This plan is ", error.Message);
    }

    [Fact]
    public void SetDestination_MappingWithoutDestinationNetwork_Refused()
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.SetDestination(Destination, [new NetworkMapping("VM Network", " ")]));

        Assert.Equal("Every source network needs a destination network.", error.Message);
        Assert.Null(plan.DestinationId);
    }

    [Theory]
    [InlineData("VM Network", "VM Network")]
    [InlineData("VM Network", " VM Network ")]
    public void SetDestination_SourceNetworkTwice_Refused(string first, string second)
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.SetDestination(Destination, [new NetworkMapping(first, "prod"), new NetworkMapping(second, "dmz")]));

        Assert.Equal("A source network can be mapped only once.", error.Message);
        Assert.Empty(plan.NetworkMappings);
    }

    [Fact]
    public void Update_Draft_ChangesGroupMethodAndOptions()
    {
        var plan = Draft();

        plan.Update(new PlanDetails("Renamed", [new PlanVm("vm-3", "app", 1)], PlanMethod.SeedDevice, true, true, 30, 200));

        Assert.Equal("Renamed", plan.Name);
        Assert.Equal(["app"], plan.Vms.Select(v => v.Name));
        Assert.Equal(PlanMethod.SeedDevice, plan.Method);
        Assert.True(plan.StartOnDestination);
        Assert.True(plan.RemoveSourceAfterSuccess);
        Assert.Equal(30, plan.SyncIntervalMinutes);
        Assert.Equal(200, plan.ThrottleMbps);
    }

    [Theory]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Paused)]
    [InlineData(PlanStatus.RolledBack)]
    public void Update_CopyingOptionsOnly_Applied(PlanStatus status)
    {
        var plan = InState(status);

        plan.Update(plan.ToDetails() with { SyncIntervalMinutes = 60, ThrottleMbps = 50, StartOnDestination = true });

        Assert.Equal(60, plan.SyncIntervalMinutes);
        Assert.Equal(50, plan.ThrottleMbps);
        Assert.True(plan.StartOnDestination);
    }

    [Fact]
    public void Update_CopyingGroupChanged_RefusedAndNothingChanges()
    {
        var plan = InState(PlanStatus.Replicating);

        var renamed = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { Name = "Other", SyncIntervalMinutes = 60 }));
        var regrouped = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { Vms = [new PlanVm("vm-1", "web", 1)] }));
        var reordered = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { Vms = [new PlanVm("vm-1", "web", 2), new PlanVm("vm-2", "db", 1)] }));
        var method = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { Method = PlanMethod.SeedDevice }));

        Assert.All([renamed, regrouped, reordered, method], e => Assert.StartsWith("Once copying has started, the group, its boot order and the method stay as they are", e.Message));
        Assert.Equal("Web tier", plan.Name);
        Assert.Equal(15, plan.SyncIntervalMinutes);
    }

    [Theory]
    [InlineData(PlanStatus.CuttingOver, "A plan that is cutting over cannot change.")]
    [InlineData(PlanStatus.Completed, "A plan that is completed cannot change.")]
    [InlineData(PlanStatus.Failed, "A plan that is failed cannot change.")]
    [InlineData(PlanStatus.Cancelled, "A plan that is cancelled cannot change.")]
    public void Update_CuttingOverOrFinished_Refused(PlanStatus status, string expected)
    {
        var plan = InState(status);

        var error = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { SyncIntervalMinutes = 60 }));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Update_InvalidDetails_PlainMessage()
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.Update(plan.ToDetails() with { SyncIntervalMinutes = 1 }));

        Assert.Equal("The delta cycle interval must be between 5 minutes and 24 hours.", error.Message);
    }

    [Theory]
    [InlineData(PlanStatus.Draft)]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Paused)]
    [InlineData(PlanStatus.CuttingOver)]
    [InlineData(PlanStatus.RolledBack)]
    public void SetThrottle_NotFinished_AppliedAndClearable(PlanStatus status)
    {
        var plan = InState(status);

        plan.SetThrottle(100);
        Assert.Equal(100, plan.ThrottleMbps);
        plan.SetThrottle(null);
        Assert.Null(plan.ThrottleMbps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void SetThrottle_BelowOne_Refused(int mbps)
    {
        var error = Assert.Throws<DomainException>(() => Draft().SetThrottle(mbps));

        Assert.Equal("A throttle must be at least 1 Mbit/s, or empty for none.", error.Message);
    }

    [Theory]
    [InlineData(PlanStatus.Completed, "completed")]
    [InlineData(PlanStatus.Failed, "failed")]
    [InlineData(PlanStatus.Cancelled, "cancelled")]
    public void SetThrottle_Finished_Refused(PlanStatus status, string described)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).SetThrottle(10));

        Assert.Equal($"A plan that is {described} has nothing to throttle.", error.Message);
    }

    [Fact]
    public void Start_WithoutDestination_RefusedAndStillDraft()
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.Start(Given.Now));

        Assert.Equal("Choose a destination before starting the plan.", error.Message);
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Null(plan.StartedAt);
    }

    [Fact]
    public void Start_WithDestination_Replicating()
    {
        var plan = Draft();
        plan.SetDestination(Destination, []);

        plan.Start(Given.Now);

        Assert.Equal(PlanStatus.Replicating, plan.Status);
        Assert.Equal(Given.Now, plan.StartedAt);
        Assert.True(plan.IsActive);
    }

    [Fact]
    public void Start_Twice_Refused()
    {
        var plan = InState(PlanStatus.Replicating);

        var error = Assert.Throws<DomainException>(() => plan.Start(Given.Now));

        Assert.Equal("Only a draft plan can start. This plan is replicating.", error.Message);
    }

    [Fact]
    public void PauseResume_Replicating_BackToReplicating()
    {
        var plan = InState(PlanStatus.Replicating);

        plan.Pause();
        Assert.Equal(PlanStatus.Paused, plan.Status);
        plan.Resume();

        Assert.Equal(PlanStatus.Replicating, plan.Status);
    }

    [Theory]
    [InlineData(PlanStatus.Draft, "Only a replicating plan can be paused. This plan is a draft.")]
    [InlineData(PlanStatus.Paused, "Only a replicating plan can be paused. This plan is paused.")]
    [InlineData(PlanStatus.CuttingOver, "Only a replicating plan can be paused. This plan is cutting over.")]
    public void Pause_NotReplicating_Refused(PlanStatus status, string expected)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).Pause());

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData(PlanStatus.Draft)]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.CuttingOver)]
    [InlineData(PlanStatus.Completed)]
    public void Resume_NotPausedNorRolledBack_Refused(PlanStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).Resume());

        Assert.Equal("Only a paused or rolled-back plan can resume.", error.Message);
    }

    [Fact]
    public void Resume_RolledBack_ReplicatingAndReasonCleared()
    {
        var plan = InState(PlanStatus.RolledBack);
        Assert.Equal("the final delta failed", plan.StatusReason);

        plan.Resume();

        Assert.Equal(PlanStatus.Replicating, plan.Status);
        Assert.Null(plan.StatusReason);
    }

    [Fact]
    public void BeginCutover_EveryBaselineDone_CuttingOverWithWhoAndWhen()
    {
        var plan = InState(PlanStatus.Replicating);

        plan.BeginCutover([Vm("web", true), Vm("db", true)], "window", Given.Now.AddHours(1));

        Assert.Equal(PlanStatus.CuttingOver, plan.Status);
        Assert.Equal(Given.Now.AddHours(1), plan.CutoverStartedAt);
        Assert.Equal("window", plan.CutoverStartedBy);
        Assert.Null(plan.CutoverEndedAt);
    }

    [Fact]
    public void BeginCutover_BaselineNotDone_RefusedNamingTheVm()
    {
        var plan = InState(PlanStatus.Replicating);

        var error = Assert.Throws<DomainException>(() => plan.BeginCutover([Vm("web", true), Vm("db", false)], "ada", Given.Now));

        Assert.Equal("The baseline of db is not on the destination yet; the cutover can start once it is.", error.Message);
        Assert.Equal(PlanStatus.Replicating, plan.Status);
    }

    [Fact]
    public void BeginCutover_NoVms_Refused()
    {
        var error = Assert.Throws<DomainException>(() => InState(PlanStatus.Replicating).BeginCutover([], "ada", Given.Now));

        Assert.Equal("The plan has no VMs being replicated.", error.Message);
    }

    [Fact]
    public void BeginCutover_Paused_SaysResumeFirst()
    {
        var error = Assert.Throws<DomainException>(() => InState(PlanStatus.Paused).BeginCutover([Vm("web", true)], "ada", Given.Now));

        Assert.Equal("A cutover starts from a replicating plan; resume it first. This plan is paused.", error.Message);
    }

    [Fact]
    public void BeginCutover_Draft_Refused()
    {
        var error = Assert.Throws<DomainException>(() => Draft().BeginCutover([Vm("web", true)], "ada", Given.Now));

        Assert.Equal("A cutover starts from a replicating plan. This plan is a draft.", error.Message);
    }

    [Fact]
    public void CompleteCutover_CuttingOver_CompletedWithEnd()
    {
        var plan = InState(PlanStatus.CuttingOver);

        plan.CompleteCutover(Given.Now.AddMinutes(12));

        Assert.Equal(PlanStatus.Completed, plan.Status);
        Assert.Equal(Given.Now.AddMinutes(12), plan.CutoverEndedAt);
        Assert.True(plan.IsFinished);
    }

    [Theory]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Completed)]
    [InlineData(PlanStatus.RolledBack)]
    public void CompleteCutover_NotCuttingOver_Refused(PlanStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).CompleteCutover(Given.Now));

        Assert.StartsWith("Only a plan that is cutting over can complete.", error.Message);
    }

    [Fact]
    public void RollBack_CuttingOver_RolledBackWithReasonAndStillActive()
    {
        var plan = InState(PlanStatus.CuttingOver);

        plan.RollBack("  the final delta failed  ", Given.Now.AddMinutes(3));

        Assert.Equal(PlanStatus.RolledBack, plan.Status);
        Assert.Equal("the final delta failed", plan.StatusReason);
        Assert.Equal(Given.Now.AddMinutes(3), plan.CutoverEndedAt);
        Assert.True(plan.IsActive);
    }

    [Fact]
    public void RollBack_WithoutReason_Refused()
    {
        var plan = InState(PlanStatus.CuttingOver);

        var error = Assert.Throws<DomainException>(() => plan.RollBack(" ", Given.Now));

        Assert.Equal("Give a reason.", error.Message);
        Assert.Equal(PlanStatus.CuttingOver, plan.Status);
    }

    [Theory]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.RolledBack)]
    public void RollBack_NotCuttingOver_Refused(PlanStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).RollBack("why", Given.Now));

        Assert.StartsWith("Only a plan that is cutting over can roll back.", error.Message);
    }

    [Fact]
    public void Fail_CuttingOver_FailedWithReason()
    {
        var plan = InState(PlanStatus.CuttingOver);

        plan.Fail("db did not boot", Given.Now.AddMinutes(4));

        Assert.Equal(PlanStatus.Failed, plan.Status);
        Assert.Equal("db did not boot", plan.StatusReason);
        Assert.True(plan.IsFinished);
    }

    [Fact]
    public void Fail_WithoutReason_RefusedAndStillCuttingOver()
    {
        var plan = InState(PlanStatus.CuttingOver);

        var error = Assert.Throws<DomainException>(() => plan.Fail("", Given.Now));

        Assert.Equal("Give a reason.", error.Message);
        Assert.Equal(PlanStatus.CuttingOver, plan.Status);
    }

    [Theory]
    [InlineData(PlanStatus.Draft)]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Failed)]
    public void Fail_NotCuttingOver_Refused(PlanStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).Fail("why", Given.Now));

        Assert.StartsWith("Only a plan that is cutting over can fail.", error.Message);
    }

    [Theory]
    [InlineData(PlanStatus.Draft)]
    [InlineData(PlanStatus.Replicating)]
    [InlineData(PlanStatus.Paused)]
    [InlineData(PlanStatus.RolledBack)]
    public void Cancel_BeforeOrBetweenCutovers_CancelledWithReason(PlanStatus status)
    {
        var plan = InState(status);

        plan.Cancel(" no longer needed ");

        Assert.Equal(PlanStatus.Cancelled, plan.Status);
        Assert.Equal("no longer needed", plan.StatusReason);
    }

    [Theory]
    [InlineData(PlanStatus.CuttingOver, "A plan that is cutting over cannot be cancelled.")]
    [InlineData(PlanStatus.Completed, "A plan that is completed cannot be cancelled.")]
    [InlineData(PlanStatus.Failed, "A plan that is failed cannot be cancelled.")]
    [InlineData(PlanStatus.Cancelled, "A plan that is cancelled cannot be cancelled.")]
    public void Cancel_DuringOrAfterCutover_Refused(PlanStatus status, string expected)
    {
        var plan = InState(status);

        var error = Assert.Throws<DomainException>(() => plan.Cancel("why"));

        Assert.Equal(expected, error.Message);
        Assert.Equal(status, plan.Status);
    }

    [Fact]
    public void Cancel_WithoutReason_Refused()
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.Cancel(""));

        Assert.Equal("Give a reason.", error.Message);
        Assert.Equal(PlanStatus.Draft, plan.Status);
    }

    [Fact]
    public void Cancel_ReasonOver1000Characters_RefusedAndStillADraft()
    {
        var plan = Draft();

        var error = Assert.Throws<DomainException>(() => plan.Cancel(new string('r', MigrationPlan.MaxReasonLength + 1)));

        Assert.Equal("The reason can be at most 1000 characters.", error.Message);
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Null(plan.StatusReason);
    }
}
