using Bunit;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Components.Shared;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>
/// The plan page's progress components from snapshots and live reports: what is summed, capped, estimated and said
/// when the worker goes quiet, and the rate chart's series from finished copies. MudBlazor's services are disposable
/// only asynchronously, so the context is disposed in DisposeAsync.
/// </summary>
public sealed class ProgressComponentTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid PlanId = Guid.NewGuid();

    private readonly BunitContext _context = new();

    public ProgressComponentTests() => _context.AddPortalComponents();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : Microsoft.AspNetCore.Components.IComponent =>
        _context.Render(parameters);

    private static PlanVmSnapshot Vm(string name, ReplicationTaskState state, params (string Key, long Total, long Done)[] disks)
    {
        var id = Guid.NewGuid();
        var copy = new CopySnapshot(Guid.NewGuid(), ReplicationTaskKind.Baseline, state, 1, T0, state == ReplicationTaskState.Queued ? null : T0, state == ReplicationTaskState.Succeeded ? T0.AddMinutes(1) : null, null,
            [.. disks.Select(d => new CopyDiskSnapshot(d.Key, d.Total, d.Total, d.Done, state == ReplicationTaskState.Succeeded))]);
        return new PlanVmSnapshot(id, name, name, 1, VmReplicationState.Baseline, 0, null, 0, 0, null, null, copy, 0,
            [.. disks.Select(d => new VmDiskSnapshot(d.Key, $"Hard disk {d.Key}", d.Total))]);
    }

    /// <summary>A replicating plan whose VMs' latest copies were queued together: one round, open while one of them is.</summary>
    private static PlanProgressSnapshot Plan(params PlanVmSnapshot[] vms) =>
        Plan(vms, vms.Any(v => v.LatestCopy?.IsActive == true) ? [.. vms.Select(v => v.LatestCopy).OfType<CopySnapshot>()] : []);

    private static PlanProgressSnapshot Plan(IReadOnlyList<PlanVmSnapshot> vms, IReadOnlyList<CopySnapshot> openRounds) =>
        new(PlanId, "Web tier", PlanStatus.Replicating, null, "Frankfurt", PlanMethod.Network, false, false, 15, null, T0, null, null, vms, openRounds, [], T0);

    private static CopyProgress Report(PlanVmSnapshot vm, DateTimeOffset at, params (string Key, long Done, long Total, double Rate)[] disks) =>
        new(PlanId, vm.VmReplicationId!.Value, vm.LatestCopy!.TaskId, ReplicationTaskKind.Baseline, "copying", [.. disks.Select(d => new DiskProgress(d.Key, d.Done, d.Total, d.Rate))], at);

    [Fact]
    public void Group_TwoVmsOneDoneOneCopying_SumsDisksOfBothAndRatesOfTheRunningOne()
    {
        var done = Vm("db-01", ReplicationTaskState.Succeeded, ("a", 300 * MiB, 300 * MiB));
        var copying = Vm("web-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0), ("b", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(done, copying));

        tracker.Apply(Report(copying, T0.AddSeconds(1), ("a", 10 * MiB, 100 * MiB, 10 * MiB), ("b", 0, 100 * MiB, 0)));
        tracker.Apply(Report(copying, T0.AddSeconds(5), ("a", 50 * MiB, 100 * MiB, 10 * MiB), ("b", 50 * MiB, 100 * MiB, 10 * MiB)));
        var group = tracker.Group(T0.AddSeconds(6));

        // 300 MiB done before + 100 MiB now, of 500 MiB; the rate is measured from the bytes over 4 s: (40 + 50) MiB / 4 s.
        Assert.Equal(400 * MiB, group.BytesDone);
        Assert.Equal(500 * MiB, group.BytesTotal);
        Assert.Equal(80, group.Percent!.Value, 3);
        Assert.Equal(22.5 * MiB, group.BytesPerSecond!.Value, 1);
        Assert.Equal(100 * MiB / (22.5 * MiB), group.Eta!.Value.TotalSeconds, 2);
    }

    /// <summary>A copy of one kind queued at <paramref name="queuedAt"/>, its disks as the database holds them.</summary>
    private static CopySnapshot Copy(ReplicationTaskKind kind, ReplicationTaskState state, DateTimeOffset queuedAt, params (string Key, long Capacity, long Total, long Done)[] disks) =>
        new(Guid.NewGuid(), kind, state, state == ReplicationTaskState.Queued ? 0 : 1, queuedAt, state == ReplicationTaskState.Queued ? null : queuedAt, state == ReplicationTaskState.Succeeded ? queuedAt.AddMinutes(1) : null, null,
            [.. disks.Select(d => new CopyDiskSnapshot(d.Key, d.Capacity, d.Total, d.Done, state == ReplicationTaskState.Succeeded))]);

    private static PlanVmSnapshot VmOf(Guid id, string name, VmReplicationState state, CopySnapshot latest) =>
        new(id, name, name, 1, state, 0, null, 0, 0, null, null, latest, 0,
            [.. latest.Disks.Select(d => new VmDiskSnapshot(d.DiskKey, $"Hard disk {d.DiskKey}", GiB))]);

    private static CopyProgress ReportOf(Guid vmId, CopySnapshot copy, DateTimeOffset at, string disk, long done, long total) =>
        new(PlanId, vmId, copy.TaskId, copy.Kind, "copying", [new DiskProgress(disk, done, total, 10 * MiB)], at);

    [Fact]
    public void Group_SecondVmsBaselineJoinsAndFirstVmsDeltaIsQueued_PercentNeverGoesBackwards()
    {
        // Both baselines are queued together when the plan starts; A's worker picks its copy up first.
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var aBaseline = Copy(ReplicationTaskKind.Baseline, ReplicationTaskState.Running, T0, ("a", GiB, 300 * MiB, 0));
        var bQueued = Copy(ReplicationTaskKind.Baseline, ReplicationTaskState.Queued, T0, ("b", GiB, 0, 0));
        var tracker = new PlanProgressTracker(Plan(VmOf(a, "web-01", VmReplicationState.Baseline, aBaseline), VmOf(b, "db-01", VmReplicationState.Baseline, bQueued)));
        var seen = new List<double>();
        void Look(int second) => seen.Add(tracker.Group(T0.AddSeconds(second)).Percent ?? 0);

        tracker.Apply(ReportOf(a, aBaseline, T0.AddSeconds(10), "a", 200 * MiB, 300 * MiB));
        Look(10);
        tracker.Apply(ReportOf(a, aBaseline, T0.AddSeconds(20), "a", 250 * MiB, 300 * MiB));
        Look(20);

        // B's copy joins: a worker measured what it holds (400 MiB of its 1 GiB disk).
        var bRunning = bQueued with { State = ReplicationTaskState.Running, StartedAt = T0.AddSeconds(25), Disks = [new CopyDiskSnapshot("b", GiB, 400 * MiB, 0, false)] };
        tracker.Reload(Plan(VmOf(a, "web-01", VmReplicationState.Baseline, aBaseline), VmOf(b, "db-01", VmReplicationState.Baseline, bRunning)));
        tracker.Apply(ReportOf(b, bRunning, T0.AddSeconds(30), "b", 10 * MiB, 400 * MiB));
        Look(30);

        // A's baseline is done; B goes on.
        var aDone = aBaseline with { State = ReplicationTaskState.Succeeded, FinishedAt = T0.AddSeconds(35), Disks = [new CopyDiskSnapshot("a", GiB, 300 * MiB, 300 * MiB, true)] };
        tracker.Reload(Plan(VmOf(a, "web-01", VmReplicationState.Syncing, aDone), VmOf(b, "db-01", VmReplicationState.Baseline, bRunning)));
        tracker.Apply(ReportOf(b, bRunning, T0.AddSeconds(40), "b", 100 * MiB, 400 * MiB));
        Look(40);

        // The next cycle queues a delta of A while B's baseline still runs.
        var aDelta = Copy(ReplicationTaskKind.Delta, ReplicationTaskState.Queued, T0.AddSeconds(45), ("a", GiB, 0, 0));
        // The baselines' round still holds A's finished baseline; the delta is a round of its own.
        tracker.Reload(Plan([VmOf(a, "web-01", VmReplicationState.Syncing, aDelta), VmOf(b, "db-01", VmReplicationState.Baseline, bRunning)], [aDone, bRunning, aDelta]));
        tracker.Apply(ReportOf(b, bRunning, T0.AddSeconds(50), "b", 300 * MiB, 400 * MiB));
        Look(50);
        tracker.Apply(ReportOf(b, bRunning, T0.AddSeconds(55), "b", 400 * MiB, 400 * MiB));
        Look(55);

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] >= seen[i - 1], $"The group went from {seen[i - 1]:0.#} % to {seen[i]:0.#} % (step {i}): {string.Join(", ", seen.Select(p => p.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        Assert.Equal(100, seen[^1], 3);

        // A's delta is a round of its own, with no percentage until its size is measured.
        var rounds = tracker.Rounds(T0.AddSeconds(55));
        Assert.Equal([ReplicationTaskKind.Baseline, ReplicationTaskKind.Delta], rounds.Select(r => r.Kind));
        Assert.Equal("Baseline copies: 1 of 2 VMs done", rounds[0].Figures.Phase);
        Assert.Null(rounds[1].Figures.Percent);
    }

    [Fact]
    public void Panel_BaselineRunning_CopiedSoFarIsWhatTheCopiesMovedIncludingTheRunningOne()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 512 * MiB, 100 * MiB));
        var tracker = new PlanProgressTracker(Plan(vm));
        tracker.Apply(Report(vm, T0.AddSeconds(1), ("a", 168 * MiB, 512 * MiB, 10 * MiB)));

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, tracker).Add(c => c.Now, T0.AddSeconds(2)));

        Assert.Contains("168 MiB of 512 MiB", cut.Find("[data-testid=vm-line]").TextContent);
        Assert.Equal("168 MiB", cut.Find("[data-testid=group-copied]").TextContent.Trim());
    }

    [Fact]
    public void Panel_DeltaRunningAfterABaseline_CopiedSoFarAddsTheEarlierCopies()
    {
        // db-01's baseline moved 512 MiB; its delta has done 10 MiB of 40 MiB. web-01's baseline runs at 100 MiB.
        var db = Vm("db-01", ReplicationTaskState.Running, ("a", 40 * MiB, 10 * MiB));
        db = db with { State = VmReplicationState.Syncing, LatestCopy = db.LatestCopy! with { Kind = ReplicationTaskKind.Delta }, EarlierCopiesBytes = 512 * MiB };
        var web = Vm("web-01", ReplicationTaskState.Running, ("a", 200 * MiB, 100 * MiB));

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, new PlanProgressTracker(Plan(db, web))).Add(c => c.Now, T0.AddSeconds(2)));

        Assert.Equal("622 MiB", cut.Find("[data-testid=group-copied]").TextContent.Trim());
    }

    [Fact]
    public void Panel_PausedPlan_QueuedCopyReadsPausedNotQueuedForAWorker()
    {
        // Pausing released the running baseline at its checkpoint (40 MiB); it waits for the plan, not for a worker.
        var vm = Vm("web-01", ReplicationTaskState.Queued, ("a", 100 * MiB, 40 * MiB)) with { State = VmReplicationState.Paused };
        var paused = Plan(vm) with { Status = PlanStatus.Paused };

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, new PlanProgressTracker(paused)).Add(c => c.Now, T0.AddMinutes(5)));

        Assert.Equal("Paused", cut.Find("[data-testid=vm-state]").TextContent.Trim());
        Assert.Equal("baseline copy paused at its checkpoint; it goes on when the plan is resumed", cut.Find("[data-testid=vm-phase]").TextContent.Trim());
        Assert.DoesNotContain("queued", cut.Find("[data-testid=plan-progress]").TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("paused", cut.Find("[data-testid=group-phase]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_WorkerReportsMoreThanTotal_PercentCappedAt100AndNeverShown100BeforeDone()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(vm));

        tracker.Apply(Report(vm, T0.AddSeconds(1), ("a", 130 * MiB, 100 * MiB, MiB)));
        var disk = tracker.Disk(vm.LatestCopy!, "a", T0.AddSeconds(2));

        Assert.Equal(100, disk.Percent);
        Assert.Equal("99.9 %", ProgressLine.PercentText(99.96));
        Assert.Equal("100 %", ProgressLine.PercentText(disk.Percent));
        Assert.Equal("37.5 %", ProgressLine.PercentText(37.55));
    }

    [Fact]
    public void Panel_NoReportForElevenSeconds_SaysWaitingForTheWorkerInsteadOfRateAndEta()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(vm));
        tracker.Apply(Report(vm, T0.AddSeconds(1), ("a", 40 * MiB, 100 * MiB, 5 * MiB)));

        var fresh = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, tracker).Add(c => c.Now, T0.AddSeconds(3)));
        Assert.Empty(fresh.FindAll("[data-testid=progress-waiting]"));
        Assert.Contains(Figures.Rate(5 * MiB), fresh.Find("[data-testid=vm-line]").TextContent);
        Assert.Contains("left", fresh.Find("[data-testid=vm-line]").TextContent);

        var stale = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, tracker).Add(c => c.Now, T0.AddSeconds(12)));
        var line = stale.Find("[data-testid=vm-line]").TextContent;
        Assert.Contains("waiting for the worker (last update 11 s ago)", line);
        Assert.DoesNotContain("left", line);
        Assert.Empty(stale.FindAll("[data-testid=vm-line] [data-testid=progress-rate]"));
        Assert.Contains("40 MiB of 100 MiB", line);
        Assert.Contains("waiting for the worker", stale.Find("[data-testid=group-line]").TextContent);
    }

    [Fact]
    public void Panel_RunningCopyNeverReported_WaitsFromItsStart()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 0, 0));
        var tracker = new PlanProgressTracker(Plan(vm));

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, tracker).Add(c => c.Now, T0.AddSeconds(30)));

        Assert.Contains("waiting for the worker (last update 30 s ago)", cut.Find("[data-testid=vm-line]").TextContent);
    }

    [Fact]
    public void Vm_JustStartedNoReportYet_NoRateRatherThanZero()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(vm));

        var figures = tracker.Vm(vm, T0.AddSeconds(2));

        Assert.True(figures.Running);
        Assert.Null(figures.BytesPerSecond);
        Assert.Null(figures.Eta);
        Assert.Null(figures.WaitingFor);
        Assert.Null(tracker.Group(T0.AddSeconds(2)).BytesPerSecond);
    }

    [Fact]
    public void Panel_NoCopyYet_EmptyStateInsteadOfZeroes()
    {
        var vm = new PlanVmSnapshot(null, "vm-1", "web-01", 1, null, 0, null, 0, 0, null, null, null, 0, []);
        var draft = Plan(vm) with { Status = PlanStatus.Draft };

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, new PlanProgressTracker(draft)).Add(c => c.Now, T0));

        Assert.Contains("No copy has run yet", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=group-progress]"));
    }

    [Fact]
    public void Panel_CompletedVm_ShowsCyclesLastCycleDowntimeAndError()
    {
        var vm = Vm("db-01", ReplicationTaskState.Succeeded, ("a", 10 * MiB, 10 * MiB)) with
        {
            State = VmReplicationState.Completed,
            Cycles = 3,
            LastCycleAt = T0,
            LastCycleBytes = 10 * MiB,
            LastCycleSeconds = 20,
            Downtime = TimeSpan.FromSeconds(95),
            Error = "The guest did not shut down in time; it was powered off.",
        };

        var cut = Render<PlanProgressPanel>(p => p.Add(c => c.Tracker, new PlanProgressTracker(Plan(vm))).Add(c => c.Now, T0));

        Assert.Equal("Completed", cut.Find("[data-testid=vm-state]").TextContent.Trim());
        var cycles = cut.Find("[data-testid=vm-cycles]").TextContent;
        Assert.Contains("3 delta cycles done", cycles);
        Assert.Contains("last copy 10 MiB in 20 s", cycles);
        Assert.Contains("measured downtime 2 min", cycles);
        Assert.Contains("powered off", cut.Find("[data-testid=vm-error]").TextContent);
    }

    [Fact]
    public void IsNewer_ReportOfACopyQueuedInTheSnapshot_TrueSoThePageReloads()
    {
        var queued = Vm("web-01", ReplicationTaskState.Queued, ("a", 100 * MiB, 0));
        var running = Vm("db-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(queued, running));

        Assert.True(tracker.IsNewer(Report(queued, T0, ("a", MiB, 100 * MiB, MiB))));
        Assert.False(tracker.IsNewer(Report(running, T0, ("a", MiB, 100 * MiB, MiB))));
    }

    [Fact]
    public void Apply_ReportOfAnotherPlan_Ignored()
    {
        var vm = Vm("web-01", ReplicationTaskState.Running, ("a", 100 * MiB, 0));
        var tracker = new PlanProgressTracker(Plan(vm));

        tracker.Apply(Report(vm, T0.AddSeconds(1), ("a", 90 * MiB, 100 * MiB, MiB)) with { PlanId = Guid.NewGuid() });

        Assert.Equal(0, tracker.Vm(vm, T0.AddSeconds(2)).BytesDone);
    }

    [Fact]
    public void RateChart_DeltaCycles_ReplicationRateOverCopyTimeAndChangeRateOverTimeSincePreviousCopy()
    {
        var vm = Guid.NewGuid();
        var copies = new List<FinishedCopy>
        {
            new(vm, ReplicationTaskKind.Baseline, T0, T0.AddMinutes(10), 6_000_000_000),
            // Started 15 min after the baseline started, copied 900 MB in 30 s.
            new(vm, ReplicationTaskKind.Delta, T0.AddMinutes(15), T0.AddMinutes(15).AddSeconds(30), 900_000_000),
            // 15 min later again, 450 MB in 45 s.
            new(vm, ReplicationTaskKind.Delta, T0.AddMinutes(30), T0.AddMinutes(30).AddSeconds(45), 450_000_000),
        };

        var spec = RateChart.Spec(copies);

        // Bytes per second, which the chart prints as every rate of the portal is printed (MiB/s).
        Assert.Equal(ProviderPortal.Web.Components.Charts.ChartUnit.BytesPerSecond, spec.Unit);
        Assert.Equal(["Replication rate", "Change rate"], spec.Series.Select(s => s.Name));
        Assert.Equal([30_000_000.0, 10_000_000.0], spec.Series[0].Points.Select(p => p.Value!.Value));
        Assert.Equal([1_000_000.0, 500_000.0], spec.Series[1].Points.Select(p => p.Value!.Value));
        Assert.Equal(T0.AddMinutes(15).AddSeconds(30), spec.Series[0].Points[0].At);
        Assert.DoesNotContain("MB", spec.ValueTitle ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void RateChartPanel_OnlyABaseline_SaysNoCycleYet()
    {
        var copies = new List<FinishedCopy> { new(Guid.NewGuid(), ReplicationTaskKind.Baseline, T0, T0.AddMinutes(10), 6_000_000_000) };

        var cut = Render<RateChartPanel>(p => p.Add(c => c.Copies, copies));

        Assert.Contains("No delta cycle has finished yet", cut.Find("[data-testid=rate-chart-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=rate-chart]"));
    }

    [Fact]
    public void SafePhase_PathOrAddressFromTheWorker_NotPassedOn()
    {
        Assert.Equal("taking snapshot", ProgressPublisher.SafePhase("taking snapshot"));
        Assert.Equal("copying", ProgressPublisher.SafePhase("writing /srv/destinations/tenant/disk.img"));
        Assert.Equal("copying", ProgressPublisher.SafePhase("nbd://10.0.0.5:10809/export"));
    }
}
