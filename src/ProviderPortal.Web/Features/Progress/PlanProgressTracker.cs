using ProviderPortal.Domain.Plans;

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

    public ProgressFigures Group(DateTimeOffset now)
    {
        var vms = CurrentRound().Select(v => Vm(v, now)).ToList();
        if (vms.Count == 0)
        {
            return ProgressFigures.Idle;
        }

        var running = vms.Where(v => v.Running).ToList();
        var waiting = running.Where(v => v.WaitingFor is not null).Select(v => v.WaitingFor!.Value).DefaultIfEmpty().Max();
        // No rate at all (rather than 0 B/s) until some running copy has reported one.
        var rates = running.Where(v => v.BytesPerSecond is not null).Select(v => v.BytesPerSecond!.Value).ToList();
        double? rate = rates.Count > 0 ? rates.Sum() : null;
        var total = vms.Sum(v => v.BytesTotal);
        var done = vms.Sum(v => Math.Min(v.BytesDone, v.BytesTotal));
        var allStale = running.Count > 0 && running.All(v => v.WaitingFor is not null);
        return ProgressFigures.From(done, total, allStale ? null : rate, running.Count > 0, allStale ? waiting : null, GroupPhase(vms));
    }

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

    /// <summary>
    /// The VMs whose latest copies make up the group's figures: those copying now, and those whose copy of the same kind
    /// already succeeded in this round (queued within one cycle interval of it), so a finished VM counts as done rather
    /// than vanishing. When nothing is copying, the round is over and the group is idle.
    /// </summary>
    private IEnumerable<PlanVmSnapshot> CurrentRound()
    {
        var active = Snapshot.Vms.Where(v => v.LatestCopy?.IsActive == true).ToList();
        if (active.Count == 0)
        {
            return [];
        }

        var interval = TimeSpan.FromMinutes(Math.Max(1, Snapshot.SyncIntervalMinutes));
        var kinds = active.Select(v => v.LatestCopy!.Kind).ToHashSet();
        var since = active.Min(v => v.LatestCopy!.QueuedAt) - interval;
        return Snapshot.Vms.Where(v => v.LatestCopy is { } c
            && (c.IsActive || (c.State == ReplicationTaskState.Succeeded && kinds.Contains(c.Kind) && c.QueuedAt >= since)));
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
        ReplicationTaskState.Queued => copy.Attempts > 0 ? "queued again (resumes from its checkpoint)" : "queued for a worker",
        ReplicationTaskState.Running => _live.TryGetValue(copy.TaskId, out var live) && live.Last is { } last ? $"{KindName(copy.Kind)}: {last.Phase}" : $"{KindName(copy.Kind)}: starting",
        ReplicationTaskState.Succeeded => $"{KindName(copy.Kind)} done",
        ReplicationTaskState.Failed => $"{KindName(copy.Kind)} failed",
        ReplicationTaskState.Cancelled => $"{KindName(copy.Kind)} cancelled",
        _ => copy.State.ToString(),
    };

    private static string GroupPhase(IReadOnlyList<ProgressFigures> vms) =>
        string.Join(", ", vms.Select(v => v.Phase.Split(':')[0]).Distinct(StringComparer.Ordinal));

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
