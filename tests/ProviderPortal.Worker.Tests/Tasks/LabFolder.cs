using System.Security.Cryptography;
using ProviderPortal.Connectors;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Tests.Tasks;

/// <summary>
/// A small lab in a fresh temp folder (the pattern of tests/ProviderPortal.Connectors.Tests/Lab/LabTestFolder.cs), a
/// destination root beside it, and assignments for its VMs as the portal would send them. Removed afterwards.
/// </summary>
internal sealed class LabFolder : IDisposable
{
    public const int MiB = 1024 * 1024;

    public LabFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "pp-worker-tests", Guid.NewGuid().ToString("N"));
        LabRoot = Path.Combine(Root, "lab");
        DestinationRoot = Path.Combine(Root, "destinations", "tenant-a");
    }

    public string Root { get; }

    public string LabRoot { get; }

    /// <summary>The tenant's destination root: the only folder file targets may be under.</summary>
    public string DestinationRoot { get; }

    public ConnectionSettings Settings => new(EnvironmentKind.Lab, new Uri("lab://local"), null, null, null) { LabRoot = LabRoot };

    public DestinationRoots Roots => new([DestinationRoot]);

    public SourceConnectorFactory Connectors { get; } = new(TimeProvider.System);

    /// <summary>4 MiB of data per disk keeps a copy short.</summary>
    public Task<LabEnvironment> OpenAsync() => LabEnvironment.OpenOrCreateAsync(LabRoot, new LabOptions { DataBytesPerDisk = 4 * MiB });

    public string TargetOf(string vm, string disk) => Path.Combine(DestinationRoot, vm, $"{disk}.img");

    /// <summary>A task for one VM's disks with file targets under the destination root, as the portal queues it.</summary>
    public static TaskAssignment Assignment(
        string vm, IEnumerable<DiskAssignment> disks, ReplicationTaskKind kind = ReplicationTaskKind.Baseline, string? snapshotId = null,
        string? previousSnapshotId = null, long? throttle = null, CopyTuning? tuning = null, ConnectionSettings? source = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), vm, vm, kind, source!, $"pp-{kind}".ToLowerInvariant(), snapshotId, previousSnapshotId, [.. disks], throttle, Verify: true,
            tuning ?? new CopyTuning(0, 0, 0, 0));

    public TaskAssignment Baseline(string vm, params DiskAssignment[] disks) => Assignment(vm, disks, source: Settings);

    public async Task<DiskAssignment> DiskAsync(string vm, string disk, string? sinceChangeId = null, string? target = null)
    {
        var inventory = await (await OpenAsync()).GetVmAsync(vm, CancellationToken.None);
        var capacity = inventory.Disks.Single(d => d.Key == disk).CapacityBytes;
        return new DiskAssignment(disk, target ?? TargetOf(vm, disk), capacity, sinceChangeId, null, 0, false);
    }

    /// <summary>SHA-256 of every byte of a snapshot's disk, holes included.</summary>
    public async Task<string> SnapshotSha256Async(string vm, string snapshotId, string disk)
    {
        await using var connector = new LabConnector(Settings);
        await using var device = await connector.OpenSnapshotDiskAsync(vm, snapshotId, disk, CancellationToken.None);
        return await Sha256Async(device);
    }

    public static Task<string> Sha256Async(string path) => ProviderPortal.TestPeers.Disks.DiskHashes.Sha256Async(path);

    /// <summary>SHA-256 of every byte of a device, holes included (hashed as zeroes, not read).</summary>
    public static Task<string> Sha256Async(IBlockDevice device) => ProviderPortal.TestPeers.Disks.DiskHashes.Sha256Async(device);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
