namespace ProviderPortal.Domain.Plans;

/// <summary>
/// One VM of a started plan on its way to the destination: its state (<see cref="VmReplicationState"/>), the snapshot
/// the destination matches, its disks, its cycles and, after the cutover, the downtime measured. Transitions are
/// methods; anything else throws.
/// </summary>
public sealed class VmReplication : ITenantOwned
{
    private VmReplication()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PlanId { get; private set; }

    public string VmId { get; private set; } = "";

    public string VmName { get; private set; } = "";

    public int BootOrder { get; private set; }

    public VmReplicationState State { get; private set; }

    /// <summary>The state a paused VM returns to.</summary>
    public VmReplicationState? PausedFrom { get; private set; }

    public List<DiskReplication> Disks { get; private set; } = [];

    /// <summary>The source snapshot the destination disks equal (kept as the base of the next cycle); null before the baseline.</summary>
    public string? SnapshotId { get; private set; }

    /// <summary>
    /// A baseline by seed device: the snapshot written onto the devices at the customer's, and its change ids per disk. Once
    /// the devices are ingested the destination equals it, and the first delta sends the changes since.
    /// </summary>
    public string? SeedSnapshotId { get; private set; }

    public Dictionary<string, string?> SeedChangeIds { get; private set; } = [];

    public DateTimeOffset? SeedLoadedAt { get; private set; }

    public DateTimeOffset? BaselineStartedAt { get; private set; }

    public DateTimeOffset? BaselineCompletedAt { get; private set; }

    /// <summary>Delta cycles completed after the baseline.</summary>
    public int Cycles { get; private set; }

    public DateTimeOffset? LastCycleAt { get; private set; }

    /// <summary>The bytes the last baseline or cycle moved, and how long it took: the replication rate.</summary>
    public long LastCycleBytes { get; private set; }

    public double LastCycleSeconds { get; private set; }

    /// <summary>When the source was asked to stop during the current or last cutover.</summary>
    public DateTimeOffset? SourceStoppedAt { get; private set; }

    /// <summary>From the source being asked to stop to the destination being ready (verified, and started if the plan says so).</summary>
    public TimeSpan? Downtime { get; private set; }

    public DateTimeOffset? StartedAtDestinationAt { get; private set; }

    public string? Error { get; private set; }

    public bool BaselineDone => BaselineCompletedAt is not null;

    public long CapacityBytes => Disks.Sum(d => d.CapacityBytes);

    /// <summary>A VM of <paramref name="plan"/> about to be replicated (in the plan's tenant).</summary>
    public static VmReplication Create(MigrationPlan plan, PlanVm vm, IReadOnlyList<DiskReplication> disks)
    {
        if (disks.Count == 0)
        {
            throw new DomainException($"{vm.Name} has no disks to replicate.");
        }

        return new VmReplication
        {
            Id = Guid.NewGuid(),
            TenantId = plan.TenantId,
            PlanId = plan.Id,
            VmId = vm.VmId,
            VmName = vm.Name,
            BootOrder = vm.BootOrder,
            State = VmReplicationState.Pending,
            Disks = [.. disks],
        };
    }

    /// <summary>Pending → Baseline (the first copy was handed to a worker).</summary>
    public void BeginBaseline(DateTimeOffset now)
    {
        Require("start its baseline", VmReplicationState.Pending, VmReplicationState.Baseline);
        State = VmReplicationState.Baseline;
        BaselineStartedAt ??= now;
        Error = null;
    }

    /// <summary>
    /// A baseline or delta cycle finished: the destination now equals <paramref name="snapshotId"/>, whose per-disk change ids
    /// are <paramref name="changeIds"/>. Baseline → Syncing, Syncing → ReadyForCutover, ReadyForCutover stays.
    /// </summary>
    public void CompleteCopy(string snapshotId, IReadOnlyDictionary<string, string?> changeIds, IReadOnlyDictionary<string, long> bytesCopied, TimeSpan took, DateTimeOffset now)
    {
        Require("record a copy", VmReplicationState.Baseline, VmReplicationState.Syncing, VmReplicationState.ReadyForCutover, VmReplicationState.CuttingOver);
        ApplySnapshot(snapshotId, changeIds, bytesCopied, took, now);
        if (State == VmReplicationState.Baseline)
        {
            State = VmReplicationState.Syncing;
            BaselineCompletedAt = now;
        }
        else if (State == VmReplicationState.Syncing)
        {
            State = VmReplicationState.ReadyForCutover;
            Cycles++;
        }
        else
        {
            Cycles++;
        }

        Error = null;
    }

    /// <summary>
    /// The VM's snapshot <paramref name="snapshotId"/> is on the seed devices. Its baseline is not done: the destination
    /// gets it when the devices are ingested. A second load (a device lost, loaded again) replaces the first.
    /// </summary>
    public void RecordSeedLoaded(string snapshotId, IReadOnlyDictionary<string, string?> changeIds, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        Require("be loaded onto a seed device", VmReplicationState.Pending, VmReplicationState.Baseline);
        SeedSnapshotId = snapshotId;
        SeedChangeIds = new Dictionary<string, string?>(changeIds);
        SeedLoadedAt = now;
        Error = null;
    }

    /// <summary>
    /// The seed devices were ingested: the destination equals the seed snapshot, which becomes the base of the next delta.
    /// Pending or Baseline → Syncing, like a baseline over the network.
    /// </summary>
    public void CompleteSeedIngest(IReadOnlyDictionary<string, long> bytesWritten, TimeSpan took, DateTimeOffset now)
    {
        Require("complete its baseline from a seed device", VmReplicationState.Pending, VmReplicationState.Baseline);
        if (SeedSnapshotId is null)
        {
            throw new DomainException($"{VmName} was never loaded onto a seed device.");
        }

        ApplySnapshot(SeedSnapshotId, SeedChangeIds, bytesWritten, took, now);
        BaselineStartedAt ??= SeedLoadedAt ?? now;
        BaselineCompletedAt = now;
        State = VmReplicationState.Syncing;
        Error = null;
    }

    public void Pause()
    {
        Require("pause", VmReplicationState.Pending, VmReplicationState.Baseline, VmReplicationState.Syncing, VmReplicationState.ReadyForCutover);
        PausedFrom = State;
        State = VmReplicationState.Paused;
    }

    public void Resume()
    {
        Require("resume", VmReplicationState.Paused);
        State = PausedFrom ?? VmReplicationState.Pending;
        PausedFrom = null;
    }

    /// <summary>Syncing or ReadyForCutover → CuttingOver.</summary>
    public void BeginCutover()
    {
        Require("cut over", VmReplicationState.Syncing, VmReplicationState.ReadyForCutover);
        State = VmReplicationState.CuttingOver;
        Error = null;
        SourceStoppedAt = null;
        Downtime = null;
        StartedAtDestinationAt = null;
    }

    /// <summary>The moment the source was asked to stop: the downtime starts.</summary>
    public void SourceStopping(DateTimeOffset now)
    {
        Require("stop its source", VmReplicationState.CuttingOver);
        SourceStoppedAt = now;
    }

    public void StartedAtDestination(DateTimeOffset now)
    {
        Require("start at the destination", VmReplicationState.CuttingOver);
        StartedAtDestinationAt = now;
    }

    /// <summary>CuttingOver → Completed, the destination ready at <paramref name="now"/>: the downtime is measured.</summary>
    public void CompleteCutover(DateTimeOffset now)
    {
        Require("complete its cutover", VmReplicationState.CuttingOver);
        if (SourceStoppedAt is null)
        {
            throw new DomainException($"{VmName} cannot complete its cutover: its source was never stopped.");
        }

        State = VmReplicationState.Completed;
        Downtime = now - SourceStoppedAt.Value;
    }

    /// <summary>CuttingOver → RolledBack: the source runs again, the destination stays as the last copy left it.</summary>
    public void RollBack(string reason)
    {
        Require("roll back", VmReplicationState.CuttingOver);
        State = VmReplicationState.RolledBack;
        Error = reason;
    }

    /// <summary>RolledBack → ReadyForCutover (or Syncing): the plan resumed, cycles go on from the snapshot the destination equals.</summary>
    public void ResumeAfterRollback()
    {
        Require("resume after a rollback", VmReplicationState.RolledBack);
        State = Cycles > 0 ? VmReplicationState.ReadyForCutover : VmReplicationState.Syncing;
        Error = null;
    }

    public void Fail(string reason)
    {
        if (State is VmReplicationState.Completed or VmReplicationState.Failed)
        {
            throw new DomainException($"{VmName} is {State} and cannot fail.");
        }

        State = VmReplicationState.Failed;
        Error = reason;
    }

    /// <summary>A copy failed and will be tried again; the VM keeps its state and shows why.</summary>
    public void RecordError(string? error) => Error = error;

    private void ApplySnapshot(string snapshotId, IReadOnlyDictionary<string, string?> changeIds, IReadOnlyDictionary<string, long> bytesCopied, TimeSpan took, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(snapshotId);
        SnapshotId = snapshotId;
        Disks = [.. Disks.Select(d => d with
        {
            ChangeId = changeIds.TryGetValue(d.DiskKey, out var id) ? id : d.ChangeId,
            BytesCopied = d.BytesCopied + bytesCopied.GetValueOrDefault(d.DiskKey),
        })];
        LastCycleAt = now;
        LastCycleBytes = bytesCopied.Values.Sum();
        LastCycleSeconds = took.TotalSeconds;
    }

    private void Require(string action, params VmReplicationState[] allowed)
    {
        if (!allowed.Contains(State))
        {
            throw new DomainException($"{VmName} cannot {action}: it is {State}.");
        }
    }
}
