namespace ProviderPortal.Domain.Plans;

/// <summary>
/// One copy of one VM's disks (a baseline, a delta cycle or the cutover's final delta) as handed to the tenant's workers.
/// It keeps what a new attempt needs to resume byte-exact: the snapshot the worker took (reused, never taken twice) and
/// each disk's last checkpoint. States in <see cref="ReplicationTaskState"/>.
/// </summary>
public sealed class ReplicationTask : ITenantOwned
{
    public const int MaxAttempts = 5;

    private ReplicationTask()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PlanId { get; private set; }

    public Guid VmReplicationId { get; private set; }

    public string VmId { get; private set; } = "";

    public ReplicationTaskKind Kind { get; private set; }

    [NotAudited]
    public ReplicationTaskState State { get; private set; }

    [NotAudited]
    public int Attempts { get; private set; }

    /// <summary>The worker session running it; null while queued.</summary>
    [NotAudited]
    public Guid? WorkerSessionId { get; private set; }

    /// <summary>The snapshot taken for this copy (by the first attempt); later attempts copy from the same one.</summary>
    [NotAudited]
    public string? SnapshotId { get; private set; }

    [NotAudited]
    public Dictionary<string, string?> SnapshotChangeIds { get; private set; } = [];

    /// <summary>The snapshot the destination equalled before this copy; removed from the source once this one succeeds.</summary>
    public string? PreviousSnapshotId { get; private set; }

    [NotAudited]
    public List<TaskDisk> Disks { get; private set; } = [];

    public DateTimeOffset QueuedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset? StartedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The last attempt's error; kept when a later attempt is queued, so the page can say why it is retrying.</summary>
    [NotAudited]
    public string? Error { get; private set; }

    /// <summary>A seed load or ingest: the order whose devices (and key) it uses.</summary>
    public Guid? SeedOrderId { get; private set; }

    /// <summary>A seed load or ingest: the devices' folders, as mounted where the work runs, one per device in order.</summary>
    public List<string> SeedFolders { get; private set; } = [];

    /// <summary>A seed ingest: the chunks verified against the devices' manifests.</summary>
    public long SeedChunks { get; private set; }

    public bool IsSeed => Kind is ReplicationTaskKind.SeedLoad or ReplicationTaskKind.SeedIngest;

    public long BytesTotal => Disks.Sum(d => d.BytesTotal);

    public long BytesDone => Disks.Sum(d => d.BytesDone);

    /// <summary>
    /// The next copy of <paramref name="vm"/>: every disk, from its last change id. A baseline starts from none; so does a
    /// disk whose platform gave no change id (tracking off), which is copied whole again.
    /// </summary>
    public static ReplicationTask QueueFor(VmReplication vm, ReplicationTaskKind kind, DateTimeOffset now) =>
        Queue(vm, kind, [.. vm.Disks.Select(d => new TaskDisk(d.DiskKey, d.Target, d.CapacityBytes, kind == ReplicationTaskKind.Baseline ? null : d.ChangeId))], now);

    /// <summary>
    /// A seed load (the VM's snapshot onto the devices mounted at <paramref name="folders"/>) or ingest (from them into the
    /// VM's destination disks) of <paramref name="vm"/>, with the devices of the order <paramref name="orderId"/>.
    /// </summary>
    public static ReplicationTask QueueSeed(VmReplication vm, ReplicationTaskKind kind, Guid orderId, IReadOnlyList<string> folders, DateTimeOffset now)
    {
        if (kind is not (ReplicationTaskKind.SeedLoad or ReplicationTaskKind.SeedIngest))
        {
            throw new DomainException($"A {kind} copy does not use seed devices.");
        }

        if (folders.Count == 0 || folders.Any(string.IsNullOrWhiteSpace))
        {
            throw new DomainException("Name the folder where each device is mounted.");
        }

        if (kind == ReplicationTaskKind.SeedIngest && vm.SeedSnapshotId is null)
        {
            throw new DomainException($"{vm.VmName} was never loaded onto the seed devices.");
        }

        var task = Queue(vm, kind, [.. vm.Disks.Select(d => new TaskDisk(d.DiskKey, d.Target, d.CapacityBytes, null))], now);
        task.SeedOrderId = orderId;
        task.SeedFolders = [.. folders];
        task.PreviousSnapshotId = null;
        // The ingest writes what the load read: that snapshot, taken at the customer's weeks ago.
        task.SnapshotId = kind == ReplicationTaskKind.SeedIngest ? vm.SeedSnapshotId : null;
        return task;
    }

    /// <summary>A seed ingest verified this many chunks (all of them, or it would have failed).</summary>
    public void RecordSeedChunks(long chunks)
    {
        Require(ReplicationTaskState.Running, "record verified chunks");
        SeedChunks += chunks;
    }

    public static ReplicationTask Queue(VmReplication vm, ReplicationTaskKind kind, IReadOnlyList<TaskDisk> disks, DateTimeOffset now)
    {
        if (disks.Count == 0)
        {
            throw new DomainException($"A copy of {vm.VmName} needs at least one disk.");
        }

        return new ReplicationTask
        {
            Id = Guid.NewGuid(),
            TenantId = vm.TenantId,
            PlanId = vm.PlanId,
            VmReplicationId = vm.Id,
            VmId = vm.VmId,
            Kind = kind,
            State = ReplicationTaskState.Queued,
            PreviousSnapshotId = vm.SnapshotId,
            Disks = [.. disks],
            QueuedAt = now,
        };
    }

    /// <summary>Queued → Running on the worker session <paramref name="sessionId"/>.</summary>
    public void Assign(Guid sessionId, DateTimeOffset now)
    {
        Require(ReplicationTaskState.Queued, "be assigned");
        State = ReplicationTaskState.Running;
        WorkerSessionId = sessionId;
        Attempts++;
        StartedAt ??= now;
    }

    /// <summary>The worker took the task's snapshot; a second, different one is refused (it would break resuming).</summary>
    public void RecordSnapshot(string snapshotId, IReadOnlyDictionary<string, string?> changeIds)
    {
        Require(ReplicationTaskState.Running, "record a snapshot");
        if (SnapshotId is not null && SnapshotId != snapshotId)
        {
            throw new DomainException($"The copy already uses snapshot {SnapshotId}.");
        }

        SnapshotId = snapshotId;
        SnapshotChangeIds = new Dictionary<string, string?>(changeIds);
    }

    public void RecordCheckpoint(string diskKey, string copyPlanId, long offset, long bytesDone)
    {
        Require(ReplicationTaskState.Running, "record a checkpoint");
        UpdateDisk(diskKey, d => d with { CheckpointPlanId = copyPlanId, CheckpointOffset = Math.Max(offset, d.CheckpointPlanId == copyPlanId ? d.CheckpointOffset : 0), BytesDone = Math.Max(d.BytesDone, bytesDone) });
    }

    public void RecordDiskDone(string diskKey, long bytesTotal, long bytesWritten)
    {
        Require(ReplicationTaskState.Running, "record a finished disk");
        UpdateDisk(diskKey, d => d with { Done = true, BytesTotal = bytesTotal, BytesDone = bytesTotal, BytesWritten = d.BytesWritten + bytesWritten });
    }

    /// <summary>How big each disk's copy is, once the worker knows its changed areas.</summary>
    public void RecordPlanned(string diskKey, long bytesTotal)
    {
        Require(ReplicationTaskState.Running, "record its size");
        UpdateDisk(diskKey, d => d with { BytesTotal = bytesTotal });
    }

    /// <summary>Running → Succeeded: every disk is on the destination.</summary>
    public void Complete(DateTimeOffset now)
    {
        Require(ReplicationTaskState.Running, "complete");
        if (SnapshotId is null || Disks.Any(d => !d.Done))
        {
            throw new DomainException("A copy completes only when its snapshot was taken and every disk is done.");
        }

        State = ReplicationTaskState.Succeeded;
        WorkerSessionId = null;
        FinishedAt = now;
        Error = null;
    }

    /// <summary>
    /// Running → Queued: the worker was lost, the plan paused, or the attempt failed in a way worth retrying. The
    /// snapshot and the checkpoints stay, so the next attempt resumes. After <see cref="MaxAttempts"/> failures it fails.
    /// </summary>
    public void Release(string? error, DateTimeOffset now, bool countsAsFailure)
    {
        Require(ReplicationTaskState.Running, "be released");
        WorkerSessionId = null;
        Error = error;
        if (countsAsFailure && Attempts >= MaxAttempts)
        {
            State = ReplicationTaskState.Failed;
            FinishedAt = now;
            return;
        }

        if (!countsAsFailure)
        {
            // A lost worker or a pause is not the copy's fault: it does not use up an attempt.
            Attempts = Math.Max(0, Attempts - 1);
        }

        State = ReplicationTaskState.Queued;
    }

    /// <summary>Running → Failed for good (a failure a retry cannot mend, such as the source disk gone).</summary>
    public void Fail(string error, DateTimeOffset now)
    {
        Require(ReplicationTaskState.Running, "fail");
        State = ReplicationTaskState.Failed;
        WorkerSessionId = null;
        Error = error;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        if (State is not (ReplicationTaskState.Queued or ReplicationTaskState.Running))
        {
            throw new DomainException($"A copy that is {State} cannot be cancelled.");
        }

        State = ReplicationTaskState.Cancelled;
        WorkerSessionId = null;
        FinishedAt = now;
    }

    private void UpdateDisk(string diskKey, Func<TaskDisk, TaskDisk> change)
    {
        var index = Disks.FindIndex(d => d.DiskKey == diskKey);
        if (index < 0)
        {
            throw new DomainException($"The copy has no disk {diskKey}.");
        }

        // A new list, so the change tracker sees the JSON column change.
        var disks = Disks.ToList();
        disks[index] = change(disks[index]);
        Disks = disks;
    }

    private void Require(ReplicationTaskState expected, string action)
    {
        if (State != expected)
        {
            throw new DomainException($"A copy that is {State} cannot {action}.");
        }
    }
}
