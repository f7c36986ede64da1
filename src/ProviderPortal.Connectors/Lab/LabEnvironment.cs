using System.Globalization;
using System.Text.Json;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Lab;

/// <summary>
/// The built-in lab on disk: a folder with lab.json (VMs, disks, snapshots, change tracking) and sparse raw
/// disk images. Every write into a lab disk goes through <see cref="WriteAsync"/> (or the workload), which
/// records the written 64 KiB blocks, so changed areas are exact. Each call takes the lab's lock file,
/// reads the state, changes it and replaces the file atomically, so several instances in several
/// processes can share one lab. Failures are <see cref="ConnectorException"/>s.
/// </summary>
public sealed class LabEnvironment
{
    /// <summary>The granularity of change tracking and of workload writes.</summary>
    public const int BlockSize = 64 * 1024;

    public const string StateFileName = "lab.json";

    private const string LockFileName = "lab.lock";

    /// <summary>Closed change sets kept per disk; an older change id answers ChangeTrackingReset.</summary>
    private const int RetainedChangeSets = 32;

    private readonly LabOptions _options;
    private readonly TimeProvider _time;
    private readonly string _statePath;
    private readonly string _lockPath;

    private LabEnvironment(string root, LabOptions options, TimeProvider time)
    {
        Root = root;
        _options = options;
        _time = time;
        _statePath = Path.Combine(root, StateFileName);
        _lockPath = Path.Combine(root, LockFileName);
    }

    public string Root { get; }

    /// <summary>Opens the lab in <paramref name="root"/>, creating the default lab when the folder is empty or missing.</summary>
    public static async Task<LabEnvironment> OpenOrCreateAsync(string root, LabOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var lab = new LabEnvironment(Path.GetFullPath(root), options ?? new LabOptions(), timeProvider ?? TimeProvider.System);
        try
        {
            Directory.CreateDirectory(lab.Root);
            using var gate = await LabLock.AcquireAsync(lab._lockPath, lab._options.LockTimeout, cancellationToken);
            if (File.Exists(lab._statePath))
            {
                lab.LoadState();
                return lab;
            }

            // lab.json is written last. Without it, a folder holding nothing but default-lab disks is a creation that was
            // interrupted (the process killed half way): its disks are written again. Anything else is not ours: refused.
            if (!lab.HoldsOnlyAnUnfinishedLab())
            {
                throw new ConnectorException(
                    ConnectorErrorKind.InvalidRequest,
                    $"The folder {lab.Root} holds files but no lab ({StateFileName} is missing): choose an empty folder for a new lab.");
            }

            var unfinished = Path.Combine(lab.Root, LabDefaults.DisksFolder);
            if (Directory.Exists(unfinished))
            {
                Directory.Delete(unfinished, recursive: true);
            }

            lab.SaveState(LabDefaults.Create(lab.Root, lab._options));
            return lab;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw lab.Failure(ex);
        }
    }

    public Task<IReadOnlyList<SourceVm>> GetVmsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SourceVm>>(state => [.. state.Vms.Select(ToSourceVm)], cancellationToken);

    public Task<SourceVm> GetVmAsync(string vmId, CancellationToken cancellationToken) =>
        ReadAsync(state => ToSourceVm(FindVm(state, vmId)), cancellationToken);

    /// <summary>The live image file of a disk (read it only while nothing writes, e.g. to compare after a cutover).</summary>
    public Task<string> GetDiskPathAsync(string vmId, string diskKey, CancellationToken cancellationToken) =>
        ReadAsync(state => FullPath(FindDisk(FindVm(state, vmId), diskKey).FileName), cancellationToken);

    /// <summary>Writes into a disk and records the written blocks as changed, whatever the VM's power state.</summary>
    public Task WriteAsync(string vmId, string diskKey, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                FindDisk(vm, diskKey);
                return ApplyWrites(vm, [new LabWrite(diskKey, offset, data)]);
            },
            cancellationToken);

    /// <summary>The workload's writes: <paramref name="plan"/> is asked, under the lock, for each running VM with a rate.</summary>
    internal Task<long> WriteWorkloadAsync(Func<LabVmState, IReadOnlyList<LabWrite>> plan, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var written = 0L;
                foreach (var vm in state.Vms.Where(vm => vm.IsRunning && vm.WorkloadBytesPerSecond > 0))
                {
                    written += ApplyWrites(vm, plan(vm));
                }

                return written;
            },
            cancellationToken);

    public Task SetWorkloadRateAsync(string vmId, long bytesPerSecond, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        return UpdateAsync(state => FindVm(state, vmId).WorkloadBytesPerSecond = bytesPerSecond, cancellationToken);
    }

    public Task<long> GetWorkloadRateAsync(string vmId, CancellationToken cancellationToken) =>
        ReadAsync(state => FindVm(state, vmId).WorkloadBytesPerSecond, cancellationToken);

    /// <summary>Simulates the guest agent starting, stopping or being removed (a clean shutdown needs it Running).</summary>
    public Task SetGuestToolsStateAsync(string vmId, GuestToolsState toolsState, CancellationToken cancellationToken) =>
        UpdateAsync(state => FindVm(state, vmId).ToolsState = toolsState, cancellationToken);

    /// <summary>How long the guest takes to shut down cleanly (300 ms unless changed).</summary>
    public Task SetGuestShutdownDelayAsync(string vmId, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return UpdateAsync(state => FindVm(state, vmId).ShutdownDelayMilliseconds = (int)delay.TotalMilliseconds, cancellationToken);
    }

    /// <summary>Freezes every disk's bytes and closes its current change set under a new change id.</summary>
    public Task<SourceSnapshot> CreateSnapshotAsync(string vmId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                var snapshot = new LabSnapshotState
                {
                    Id = $"snap-{vm.NextSnapshotNumber.ToString(CultureInfo.InvariantCulture)}",
                    Name = name,
                    CreatedAt = _time.GetUtcNow(),
                };
                var folder = Path.Combine("snapshots", vm.Id, snapshot.Id);
                Directory.CreateDirectory(FullPath(folder));
                try
                {
                    foreach (var disk in vm.Disks)
                    {
                        var frozen = Path.Combine(folder, $"{disk.Key}.img");
                        SparseFiles.Freeze(FullPath(disk.FileName), FullPath(frozen));
                        snapshot.Disks.Add(new LabSnapshotDiskState { DiskKey = disk.Key, ChangeId = CloseChangeSet(vm, disk), FileName = frozen });
                    }
                }
                catch
                {
                    Directory.Delete(FullPath(folder), recursive: true);
                    throw;
                }

                vm.NextSnapshotNumber++;
                vm.Snapshots.Add(snapshot);
                return ToSourceSnapshot(snapshot);
            },
            cancellationToken);
    }

    /// <summary>Deletes the snapshot's frozen disks; the change sets stay, so deltas from its change ids still work.</summary>
    public Task RemoveSnapshotAsync(string vmId, string snapshotId, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                var snapshot = FindSnapshot(vm, snapshotId);
                vm.Snapshots.Remove(snapshot);
                var folder = FullPath(Path.Combine("snapshots", vm.Id, snapshot.Id));
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return true;
            },
            cancellationToken);

    /// <summary>
    /// The blocks written between the point of <paramref name="sinceChangeId"/> and the snapshot, sorted and
    /// merged; with no change id, the allocated extents of the snapshot's frozen disk.
    /// </summary>
    public Task<IReadOnlyList<ByteRange>> GetChangedAreasAsync(string vmId, string snapshotId, string diskKey, string? sinceChangeId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ByteRange>>(
            state =>
            {
                var vm = FindVm(state, vmId);
                var snapshot = FindSnapshot(vm, snapshotId);
                var disk = FindDisk(vm, diskKey);
                var frozen = snapshot.Disks.Find(d => d.DiskKey == diskKey)
                    ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} of {vmId} has no disk '{diskKey}'.");
                return sinceChangeId is null
                    ? SparseFiles.DataRanges(FullPath(frozen.FileName))
                    : ChangesBetween(vm, disk, sinceChangeId, frozen.ChangeId, snapshotId);
            },
            cancellationToken);

    /// <summary>A snapshot's frozen disk, read-only, for the replication engine.</summary>
    public async Task<IBlockDevice> OpenSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken)
    {
        var path = await ReadAsync(
            state =>
            {
                var snapshot = FindSnapshot(FindVm(state, vmId), snapshotId);
                var frozen = snapshot.Disks.Find(d => d.DiskKey == diskKey)
                    ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} of {vmId} has no disk '{diskKey}'.");
                return FullPath(frozen.FileName);
            },
            cancellationToken);
        try
        {
            // The frozen file never changes, so it is read outside the lock; removing the snapshot unlinks it, open handles keep reading.
            return FileDevice.Open(path, new BlockDeviceOpenOptions { Writable = false });
        }
        catch (BlockDeviceException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.NotFound, $"Snapshot {snapshotId} of {vmId} is gone ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Turns changed-block tracking on (a new epoch: ids from before are unknown from now on) or off
    /// (snapshots then carry no change ids). Turning it on when on changes nothing.
    /// </summary>
    public Task SetChangeTrackingAsync(string vmId, bool enabled, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                if (vm.ChangeTracking == enabled)
                {
                    return false;
                }

                vm.ChangeTracking = enabled;
                foreach (var disk in vm.Disks)
                {
                    var changes = FullPath(ChangesFolder(vm, disk));
                    if (Directory.Exists(changes))
                    {
                        Directory.Delete(changes, recursive: true);
                    }

                    if (enabled)
                    {
                        StartTracking(disk);
                    }
                    else
                    {
                        disk.ChangeEpoch = null;
                        disk.CurrentChanges = null;
                    }
                }

                return true;
            },
            cancellationToken);

    public Task PowerOnAsync(string vmId, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                if (vm.PowerState == VmPowerState.PoweredOn)
                {
                    throw new ConnectorException(ConnectorErrorKind.Conflict, $"{vm.Name} is already powered on.");
                }

                vm.PowerState = VmPowerState.PoweredOn;
                return true;
            },
            cancellationToken);

    /// <summary>Removes a powered-off VM from the lab with its disks, snapshots and change sets; the other VMs stay.</summary>
    public Task DeleteVmAsync(string vmId, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                if (vm.PowerState != VmPowerState.PoweredOff)
                {
                    throw new ConnectorException(ConnectorErrorKind.Conflict, $"{vm.Name} is running: power it off before it is deleted.");
                }

                state.Vms.Remove(vm);
                foreach (var disk in vm.Disks)
                {
                    File.Delete(FullPath(disk.FileName));
                }

                foreach (var folder in new[] { Path.Combine("snapshots", vm.Id), Path.Combine("changes", vm.Id) }.Select(FullPath).Where(Directory.Exists))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return true;
            },
            cancellationToken);

    /// <summary>A hard power-off: also ends a guest shutdown that is still running.</summary>
    public Task PowerOffAsync(string vmId, CancellationToken cancellationToken) =>
        UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                if (vm.PowerState != VmPowerState.PoweredOn)
                {
                    throw new ConnectorException(ConnectorErrorKind.Conflict, $"{vm.Name} is already powered off.");
                }

                vm.PowerState = VmPowerState.PoweredOff;
                vm.ShutdownDueAt = null;
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Asks the guest to shut down (it stops writing at once and is off after its shutdown delay) and waits
    /// until it is off, at most <paramref name="timeout"/>; a second call joins the running shutdown.
    /// </summary>
    public async Task ShutdownGuestAsync(string vmId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var due = await UpdateAsync(
            state =>
            {
                var vm = FindVm(state, vmId);
                if (vm.PowerState != VmPowerState.PoweredOn)
                {
                    throw new ConnectorException(ConnectorErrorKind.Conflict, $"{vm.Name} is already powered off.");
                }

                if (vm.ToolsState != GuestToolsState.Running)
                {
                    throw new ConnectorException(
                        ConnectorErrorKind.Conflict,
                        $"{vm.Name} cannot be shut down cleanly: its guest tools are {ToolsWording(vm.ToolsState)}. Power it off instead.");
                }

                vm.ShutdownDueAt ??= _time.GetUtcNow().AddMilliseconds(vm.ShutdownDelayMilliseconds);
                return vm.ShutdownDueAt.Value;
            },
            cancellationToken);

        while (true)
        {
            var now = _time.GetUtcNow();
            var wait = (due < deadline ? due : deadline) - now;
            if (wait <= TimeSpan.Zero && now < deadline)
            {
                // Past the due time but still on (powered off and on again meanwhile): poll, don't spin on the lock.
                wait = TimeSpan.FromMilliseconds(Math.Min(50, (deadline - now).TotalMilliseconds));
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }

            var off = await ReadAsync(state => FindVm(state, vmId).PowerState == VmPowerState.PoweredOff, cancellationToken);
            if (off)
            {
                return;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new ConnectorException(ConnectorErrorKind.Timeout, $"{vmId} did not shut down within {timeout.TotalSeconds:0.#} s.");
            }
        }
    }

    internal static void StartTracking(LabDiskState disk)
    {
        disk.ChangeEpoch = Guid.NewGuid().ToString("N")[..12];
        disk.ChangeSequence = 0;
        disk.FirstRetainedSequence = 1;
        disk.CurrentChanges = ChangeBitmap.Create(disk.CapacityBytes);
    }

    private static string ToolsWording(GuestToolsState state) => state switch
    {
        GuestToolsState.NotInstalled => "not installed",
        GuestToolsState.NotRunning => "not running",
        GuestToolsState.Outdated => "outdated",
        _ => "in an unknown state",
    };

    private long ApplyWrites(LabVmState vm, IReadOnlyList<LabWrite> writes)
    {
        var written = 0L;
        foreach (var group in writes.GroupBy(w => w.DiskKey, StringComparer.Ordinal))
        {
            var disk = FindDisk(vm, group.Key);
            using var handle = File.OpenHandle(FullPath(disk.FileName), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            foreach (var write in group)
            {
                if (write.Offset < 0 || write.Offset + write.Data.Length > disk.CapacityBytes)
                {
                    throw new ConnectorException(
                        ConnectorErrorKind.InvalidRequest,
                        $"A write of {write.Data.Length} bytes at {write.Offset} does not fit {vm.Name}'s {disk.Key} of {disk.CapacityBytes} bytes.");
                }

                RandomAccess.Write(handle, write.Data.Span, write.Offset);
                if (vm.ChangeTracking)
                {
                    disk.CurrentChanges ??= ChangeBitmap.Create(disk.CapacityBytes);
                    ChangeBitmap.Mark(disk.CurrentChanges, write.Offset, write.Data.Length);
                }

                written += write.Data.Length;
            }
        }

        return written;
    }

    /// <summary>Stores the current change set as the next sequence and starts an empty one; null when tracking is off.</summary>
    private string? CloseChangeSet(LabVmState vm, LabDiskState disk)
    {
        if (!vm.ChangeTracking || disk.ChangeEpoch is null)
        {
            return null;
        }

        var sequence = disk.ChangeSequence + 1;
        var path = FullPath(ChangeSetFile(vm, disk, sequence));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path + ".tmp", disk.CurrentChanges ?? ChangeBitmap.Create(disk.CapacityBytes));
        File.Move(path + ".tmp", path, overwrite: true);
        disk.ChangeSequence = sequence;
        disk.CurrentChanges = ChangeBitmap.Create(disk.CapacityBytes);
        while (disk.ChangeSequence - disk.FirstRetainedSequence + 1 > RetainedChangeSets)
        {
            File.Delete(FullPath(ChangeSetFile(vm, disk, disk.FirstRetainedSequence)));
            disk.FirstRetainedSequence++;
        }

        return ChangeId(disk.ChangeEpoch, sequence);
    }

    private List<ByteRange> ChangesBetween(LabVmState vm, LabDiskState disk, string since, string? until, string snapshotId)
    {
        if (until is null)
        {
            throw new ConnectorException(
                ConnectorErrorKind.ChangeTrackingReset,
                $"Snapshot {snapshotId} of {vm.Name} was taken with change tracking off: copy {disk.Key} in full.");
        }

        if (!TryParseChangeId(since, out var sinceEpoch, out var sinceSequence)
            || !TryParseChangeId(until, out var untilEpoch, out var untilSequence)
            || sinceEpoch != untilEpoch
            || sinceEpoch != disk.ChangeEpoch
            || sinceSequence + 1 < disk.FirstRetainedSequence)
        {
            throw new ConnectorException(
                ConnectorErrorKind.ChangeTrackingReset,
                $"{vm.Name}'s {disk.Key} no longer knows change id '{since}' (tracking was reset or the id is too old): copy it in full.");
        }

        if (sinceSequence > untilSequence)
        {
            throw new ConnectorException(
                ConnectorErrorKind.InvalidRequest,
                $"Change id '{since}' is later than snapshot {snapshotId} of {vm.Name}: a delta runs from an older snapshot to a newer one.");
        }

        var union = ChangeBitmap.Create(disk.CapacityBytes);
        for (var sequence = sinceSequence + 1; sequence <= untilSequence; sequence++)
        {
            var path = FullPath(ChangeSetFile(vm, disk, sequence));
            if (!File.Exists(path))
            {
                throw new ConnectorException(
                    ConnectorErrorKind.ChangeTrackingReset,
                    $"{vm.Name}'s {disk.Key} lost the changes after '{since}': copy it in full.");
            }

            ChangeBitmap.Or(union, File.ReadAllBytes(path));
        }

        return ChangeBitmap.ToRanges(union, disk.CapacityBytes);
    }

    private static string ChangeId(string epoch, long sequence) => $"{epoch}-{sequence.ToString(CultureInfo.InvariantCulture)}";

    private static bool TryParseChangeId(string changeId, out string epoch, out long sequence)
    {
        var dash = changeId.LastIndexOf('-');
        epoch = dash > 0 ? changeId[..dash] : "";
        sequence = 0;
        return dash > 0 && long.TryParse(changeId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    private static string ChangesFolder(LabVmState vm, LabDiskState disk) => Path.Combine("changes", vm.Id, disk.Key);

    private static string ChangeSetFile(LabVmState vm, LabDiskState disk, long sequence) =>
        Path.Combine(ChangesFolder(vm, disk), $"{ChangeId(disk.ChangeEpoch!, sequence)}.bits");

    private SourceVm ToSourceVm(LabVmState vm) => new()
    {
        Id = vm.Id,
        Name = vm.Name,
        PowerState = vm.PowerState,
        CpuCount = vm.CpuCount,
        CpuVendor = vm.CpuVendor,
        MemoryBytes = vm.MemoryBytes,
        GuestOs = vm.GuestOs,
        ToolsState = vm.ToolsState,
        Host = vm.Host,
        Cluster = vm.Cluster,
        Disks = [.. vm.Disks.Select(d => new SourceDisk(
            d.Key,
            d.Label,
            d.CapacityBytes,
            SparseFiles.AllocatedBytes(FullPath(d.FileName)),
            vm.ChangeTracking ? ChangeTrackingState.Enabled : ChangeTrackingState.Disabled,
            DisplayPath(d.FileName)))],
        Nics = [.. vm.Nics.Select(n => new SourceNic(n.Key, n.Network, n.MacAddress))],
        Snapshots = [.. vm.Snapshots.Select(ToSourceSnapshot)],
    };

    /// <summary>Where a disk lives, as a datastore path reads ("[lab] file"): the portal's own folders stay private.</summary>
    public static string DisplayPath(string fileName) => $"[lab] {fileName}";

    private static SourceSnapshot ToSourceSnapshot(LabSnapshotState snapshot) =>
        new(snapshot.Id, snapshot.Name, snapshot.CreatedAt, [.. snapshot.Disks.Select(d => new SnapshotDisk(d.DiskKey, d.ChangeId))]);

    private static LabVmState FindVm(LabState state, string vmId) =>
        state.Vms.Find(vm => vm.Id == vmId)
        ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"The lab has no VM '{vmId}'.");

    private static LabDiskState FindDisk(LabVmState vm, string diskKey) =>
        vm.Disks.Find(d => d.Key == diskKey)
        ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"{vm.Name} has no disk '{diskKey}'.");

    private static LabSnapshotState FindSnapshot(LabVmState vm, string snapshotId) =>
        vm.Snapshots.Find(s => s.Id == snapshotId)
        ?? throw new ConnectorException(ConnectorErrorKind.NotFound, $"{vm.Name} has no snapshot '{snapshotId}'.");

    private string FullPath(string relative) => Path.Combine(Root, relative);

    /// <summary>Runs <paramref name="read"/> on the current state under the lock; saves only when time settled a shutdown.</summary>
    private Task<T> ReadAsync<T>(Func<LabState, T> read, CancellationToken cancellationToken) =>
        LockedAsync(read, save: false, cancellationToken);

    /// <summary>Runs <paramref name="change"/> under the lock and saves the state unless it throws.</summary>
    private Task<T> UpdateAsync<T>(Func<LabState, T> change, CancellationToken cancellationToken) =>
        LockedAsync(change, save: true, cancellationToken);

    private async Task<T> LockedAsync<T>(Func<LabState, T> action, bool save, CancellationToken cancellationToken)
    {
        try
        {
            using var gate = await LabLock.AcquireAsync(_lockPath, _options.LockTimeout, cancellationToken);
            var state = LoadState();
            var settled = Settle(state);
            var result = action(state);
            if (save || settled)
            {
                SaveState(state);
            }

            return result;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw Failure(ex);
        }
    }

    /// <summary>Guest shutdowns whose time has come are finished: the VM is off, and no write can land after that.</summary>
    private bool Settle(LabState state)
    {
        var now = _time.GetUtcNow();
        var changed = false;
        foreach (var vm in state.Vms.Where(vm => vm.ShutdownDueAt is { } due && due <= now))
        {
            vm.PowerState = VmPowerState.PoweredOff;
            vm.ShutdownDueAt = null;
            changed = true;
        }

        return changed;
    }

    private LabState LoadState()
    {
        var state = JsonSerializer.Deserialize(File.ReadAllBytes(_statePath), LabStateJson.Default.LabState)
            ?? throw new ConnectorException(ConnectorErrorKind.ServerError, $"The lab state {_statePath} is empty.");
        return state.Version == LabState.CurrentVersion
            ? state
            : throw new ConnectorException(ConnectorErrorKind.NotSupported, $"The lab state {_statePath} has version {state.Version}; this portal reads version {LabState.CurrentVersion}.");
    }

    /// <summary>Write aside, then rename over: a reader in another process sees the old state or the new one, never half.</summary>
    /// <summary>True when the folder (without lab.json) holds nothing but what creating the default lab writes, if anything.</summary>
    private bool HoldsOnlyAnUnfinishedLab()
    {
        var disks = Path.Combine(Root, LabDefaults.DisksFolder);
        var files = LabDefaults.FileNames().Select(f => Path.Combine(Root, f)).ToHashSet(StringComparer.Ordinal);
        var folders = files.Select(f => Path.GetDirectoryName(f)!).ToHashSet(StringComparer.Ordinal);
        var top = Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName);
        if (top.Any(name => name is not (LockFileName or StateFileName + ".tmp" or LabDefaults.DisksFolder)))
        {
            return false;
        }

        return !Directory.Exists(disks)
            || (Directory.EnumerateFiles(disks, "*", SearchOption.AllDirectories).All(files.Contains)
                && Directory.EnumerateDirectories(disks, "*", SearchOption.AllDirectories).All(folders.Contains));
    }

    private void SaveState(LabState state)
    {
        var temporary = _statePath + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(state, LabStateJson.Default.LabState));
        File.Move(temporary, _statePath, overwrite: true);
    }

    private static bool IsStorageFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or JsonException;

    private ConnectorException Failure(Exception ex) =>
        new(ConnectorErrorKind.ServerError, $"The lab at {Root} failed: {ex.Message}", ex);
}
