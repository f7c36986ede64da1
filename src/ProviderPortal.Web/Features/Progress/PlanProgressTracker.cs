using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Components.Shared;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// A plan's progress as the page shows it: the database snapshot with the workers' live reports laid over it, summed
/// per disk, VM and group. Truthful by construction: a percentage never exceeds 100, the rate and ETA come from the
/// bytes of the last few seconds, and a running copy with no report for <see cref="StaleAfter"/> says it is waiting for
/// its worker instead of showing a frozen figure.
/// </summary>
public sealed class PlanProgressTracker
{
    /// <summary>After this long without a report, a running copy is "waiting for the worker".</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>The rate is measured over the reports of this last stretch of time.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What the page explains the group's figures with: the definition <see cref="Rounds"/> follows, in plain words.
    /// </summary>
    public const string GroupDefinition =
        "The group's progress is shown per round of copies queued together: all baselines when the plan starts, then each delta cycle. " +
        "A round counts every VM in it from the start, finished ones as done, so its percentage never goes backwards: a baseline counts its disks' full capacity " +
        "until the worker has measured the data to copy, and a delta cycle shows a percentage once every VM's changes are measured.";

    private readonly Dictionary<Guid, LiveCopy> _live = [];

    public PlanProgressTracker(PlanProgressSnapshot snapshot) => Snapshot = snapshot;

    public PlanProgressSnapshot Snapshot { get; private set; }

    /// <summary>A new snapshot (after a state change); live reports of copies still running are kept.</summary>
    public void Reload(PlanProgressSnapshot snapshot)
    {
        Snapshot = snapshot;
        var running = snapshot.Vms.Where(v => v.LatestCopy?.State == ReplicationTaskState.Running).Select(v => v.LatestCopy!.TaskId).ToHashSet();
        foreach (var gone in _live.Keys.Where(k => !running.Contains(k)).ToList())
        {
            _live.Remove(gone);
        }
    }

    /// <summary>Lays one report over the snapshot. Reports of another plan, or older than the last one, are ignored.</summary>
    public void Apply(CopyProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.PlanId != Snapshot.PlanId)
        {
            return;
        }

        if (!_live.TryGetValue(report.TaskId, out var live))
        {
            live = new LiveCopy(report.VmReplicationId);
            _live[report.TaskId] = live;
        }

        if (live.Last is { } last && report.At < last.At)
        {
            return;
        }

        live.Add(report);
    }

    /// <summary>
    /// True when a report is about a copy the snapshot does not show running (it was handed to a worker after the
    /// snapshot was read): the page should read the snapshot again to show it.
    /// </summary>
    public bool IsNewer(CopyProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.PlanId == Snapshot.PlanId
            && !Snapshot.Vms.Any(v => v.LatestCopy is { State: ReplicationTaskState.Running } copy && copy.TaskId == report.TaskId);
    }

    /// <summary>The first open round's figures (the one that started first), or idle when no copy is queued or running.</summary>
    public ProgressFigures Group(DateTimeOffset now) => Rounds(now).FirstOrDefault()?.Figures ?? ProgressFigures.Idle;

    /// <summary>
    /// The group's figures, one per round still open, oldest first. A round is the copies the portal queued together, so its
    /// members are fixed when it starts: a copy joining or a new cycle being queued never changes an open round's total. Its
    /// percentage is the bytes done over the copies' sizes: a baseline's size is its disks' capacity until its worker measured
    /// what to copy (never more than the capacity), so the total can only shrink and the percentage never goes backwards; a
    /// delta or final copy's size is unknown until measured, so such a round has a percentage once all its copies are measured.
    /// </summary>
    public IReadOnlyList<GroupRound> Rounds(DateTimeOffset now) =>
        [.. Snapshot.OpenRounds.GroupBy(c => (c.Kind, c.QueuedAt)).OrderBy(g => g.Key.QueuedAt).Select(g => Round(g.Key.Kind, g.Key.QueuedAt, [.. g], now))];

    private GroupRound Round(ReplicationTaskKind kind, DateTimeOffset queuedAt, IReadOnlyList<CopySnapshot> copies, DateTimeOffset now)
    {
        var bounded = GroupRound.BoundedByCapacity(kind);
        long done = 0, total = 0;
        var measured = true;
        var rates = new List<double>();
        var running = copies.Where(c => c.State == ReplicationTaskState.Running).ToList();
        foreach (var copy in copies)
        {
            foreach (var stored in copy.Disks)
            {
                var disk = Disk(copy, stored.DiskKey, now);
                var known = stored.Measured || disk.BytesTotal > 0;
                var size = known ? (bounded && stored.CapacityBytes > 0 ? Math.Min(disk.BytesTotal, stored.CapacityBytes) : disk.BytesTotal) : stored.CapacityBytes;
                measured &= known || bounded;
                total += size;
                done += stored.Done ? size : Math.Min(disk.BytesDone, size);
                if (disk.BytesPerSecond is { } rate)
                {
                    rates.Add(rate);
                }
            }
        }

        var waiting = running.Select(c => WaitingFor(c, now)).ToList();
        var allStale = running.Count > 0 && waiting.All(w => w is not null);
        double? sum = rates.Count > 0 && !allStale ? rates.Sum() : null;
        var finished = copies.Count(c => c.State == ReplicationTaskState.Succeeded);
        var phase = RoundPhase(kind, copies, finished) + (Snapshot.Status == PlanStatus.Paused ? ", paused" : "");

        // Until every copy of a cycle is measured its total is unknown: bytes done, no percentage and no ETA.
        var figures = ProgressFigures.From(done, measured ? total : 0, sum, running.Count > 0, allStale ? waiting.Max() : null, phase);
        return new GroupRound(kind, queuedAt, copies.Count, finished, figures);
    }

    private static string RoundPhase(ReplicationTaskKind kind, IReadOnlyList<CopySnapshot> copies, int finished)
    {
        var failed = copies.Count(c => c.State == ReplicationTaskState.Failed);
        var text = $"{finished} of {Figures.Count(copies.Count, "VM")} done";
        if (failed > 0)
        {
            text += $", {failed} failed";
        }

        return $"{GroupRound.TitleOf(kind)}: {text}";
    }

    /// <summary>
    /// The bytes every copy of the plan moved so far: each VM's earlier copies, and its latest as its line shows it (live
    /// while it runs), so the sum agrees with the VMs' figures.
    /// </summary>
    public long CopiedSoFar(DateTimeOffset now) =>
        Snapshot.Vms.Sum(v => v.EarlierCopiesBytes + (v.LatestCopy is null ? 0 : Vm(v, now).BytesDone));

    public ProgressFigures Vm(PlanVmSnapshot vm, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var copy = vm.LatestCopy;
        if (copy is null)
        {
            return ProgressFigures.Idle with { Phase = vm.State is null ? "not started" : "no copy yet" };
        }

        var disks = copy.Disks.Select(d => Disk(copy, d.DiskKey, now)).ToList();
        var running = copy.State == ReplicationTaskState.Running;
        var waitingFor = running ? WaitingFor(copy, now) : null;
        var rates = disks.Where(d => d.BytesPerSecond is not null).Select(d => d.BytesPerSecond!.Value).ToList();
        double? rate = running && waitingFor is null && rates.Count > 0 ? rates.Sum() : null;
        return ProgressFigures.From(disks.Sum(d => Math.Min(d.BytesDone, d.BytesTotal)), disks.Sum(d => d.BytesTotal), rate, running, waitingFor, CopyPhase(copy));
    }

    /// <summary>One disk of a VM's latest copy: the live report when there is one, else its last checkpoint.</summary>
    public ProgressFigures Disk(CopySnapshot copy, string diskKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var stored = copy.Disks.FirstOrDefault(d => d.DiskKey == diskKey);
        var running = copy.State == ReplicationTaskState.Running;
        var live = running && _live.TryGetValue(copy.TaskId, out var l) ? l : null;
        var reported = live?.Last?.Disks.FirstOrDefault(d => d.DiskKey == diskKey);
        var total = Math.Max(reported?.BytesTotal ?? 0, stored?.BytesTotal ?? 0);
        var done = stored?.Done == true ? total : Math.Max(reported?.BytesDone ?? 0, stored?.BytesDone ?? 0);
        var waitingFor = running ? WaitingFor(copy, now) : null;
        var finished = stored?.Done == true || !running;
        var rate = finished || waitingFor is not null || live is null ? (double?)null : live.RateOf(diskKey, reported?.BytesPerSecond ?? 0);
        return ProgressFigures.From(done, total, rate, running && stored?.Done != true, stored?.Done == true ? null : waitingFor, stored?.Done == true ? "done" : CopyPhase(copy));
    }

    /// <summary>How long a running copy has gone without a report, once that is longer than <see cref="StaleAfter"/>.</summary>
    private TimeSpan? WaitingFor(CopySnapshot copy, DateTimeOffset now)
    {
        var last = _live.TryGetValue(copy.TaskId, out var live) && live.Last is { } report ? report.At : copy.StartedAt ?? Snapshot.TakenAt;
        var silence = now - last;
        return silence > StaleAfter ? silence : null;
    }

    private string CopyPhase(CopySnapshot copy) => copy.State switch
    {
        // A paused plan's copies were released to the queue, but they wait for the plan, not for a worker.
        ReplicationTaskState.Queued when Snapshot.Status == PlanStatus.Paused => copy.Attempts > 0 || copy.Disks.Any(d => d.BytesDone > 0)
            ? $"{KindName(copy.Kind)} paused at its checkpoint; it goes on when the plan is resumed"
            : $"{KindName(copy.Kind)} paused; it starts when the plan is resumed",
        ReplicationTaskState.Queued => copy.Attempts > 0 ? "queued again (resumes from its checkpoint)" : "queued for a worker",
        ReplicationTaskState.Running => _live.TryGetValue(copy.TaskId, out var live) && live.Last is { } last ? $"{KindName(copy.Kind)}: {last.Phase}" : $"{KindName(copy.Kind)}: starting",
        ReplicationTaskState.Succeeded => $"{KindName(copy.Kind)} done",
        ReplicationTaskState.Failed => $"{KindName(copy.Kind)} failed",
        ReplicationTaskState.Cancelled => $"{KindName(copy.Kind)} cancelled",
        _ => copy.State.ToString(),
    };

    public static string KindName(ReplicationTaskKind kind) => kind switch
    {
        ReplicationTaskKind.Baseline => "baseline copy",
        ReplicationTaskKind.Delta => "delta cycle",
        ReplicationTaskKind.Final => "final copy",
        ReplicationTaskKind.SeedLoad => "loading the seed device",
        ReplicationTaskKind.SeedIngest => "seed device ingest",
        _ => kind.ToString(),
    };

    /// <summary>The reports of one running copy: the last, and a few seconds of history to measure its rate.</summary>
    private sealed class LiveCopy(Guid vmReplicationId)
    {
        private readonly Queue<CopyProgress> _recent = new();

        public Guid VmReplicationId { get; } = vmReplicationId;

        public CopyProgress? Last { get; private set; }

        public void Add(CopyProgress report)
        {
            Last = report;
            _recent.Enqueue(report);
            while (_recent.Count > 2 && report.At - _recent.Peek().At > RateWindow)
            {
                _recent.Dequeue();
            }
        }

        /// <summary>Bytes done over the window's span; the worker's own figure until the window spans a second.</summary>
        public double RateOf(string diskKey, double reported)
        {
            var first = _recent.Peek();
            var span = (Last!.At - first.At).TotalSeconds;
            var from = first.Disks.FirstOrDefault(d => d.DiskKey == diskKey);
            var to = Last.Disks.FirstOrDefault(d => d.DiskKey == diskKey);
            if (span < 1 || from is null || to is null || to.BytesDone < from.BytesDone)
            {
                return reported;
            }

            return (to.BytesDone - from.BytesDone) / span;
        }
    }
}
