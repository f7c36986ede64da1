using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>
/// One on-prem environment (a vCenter, a Xen Orchestra, or the built-in lab) as the portal and the workers
/// use it. Ids are the platform's own (a vCenter moref such as <c>vm-42</c>, an XO uuid, a lab name).
/// Long operations are polled to completion here; a call returns when the platform says it is done,
/// or throws <see cref="ConnectorException"/> (kind <see cref="ConnectorErrorKind.Timeout"/> when it never says).
/// Implementations are safe for concurrent calls.
/// </summary>
public interface ISourceConnector : IAsyncDisposable
{
    EnvironmentKind Kind { get; }

    /// <summary>Logs in (over the pinned certificate) and reads who the server is.</summary>
    Task<ServerInfo> TestConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Every VM with its disks, NICs and snapshots. Templates are left out.</summary>
    Task<IReadOnlyList<SourceVm>> GetInventoryAsync(CancellationToken cancellationToken);

    /// <summary>A crash-consistent snapshot without memory; its disks carry the change ids of this point in time.</summary>
    Task<SourceSnapshot> CreateSnapshotAsync(string vmId, string name, CancellationToken cancellationToken);

    /// <summary>Removes one snapshot (consolidating its data into the disk); the VM and its other snapshots stay.</summary>
    Task RemoveSnapshotAsync(string vmId, string snapshotId, CancellationToken cancellationToken);

    /// <summary>
    /// The areas of a snapshot's disk that changed since the point whose change id is <paramref name="sinceChangeId"/>
    /// (a <see cref="SnapshotDisk.ChangeId"/> from an earlier snapshot), or every allocated area when it is null.
    /// Sorted, merged. A change id the platform no longer knows throws <see cref="ConnectorErrorKind.ChangeTrackingReset"/>:
    /// the caller falls back to a full copy.
    /// </summary>
    Task<IReadOnlyList<ByteRange>> GetChangedAreasAsync(string vmId, string snapshotId, string diskKey, string? sinceChangeId, CancellationToken cancellationToken);

    /// <summary>A snapshot's disk as a read-only block source for the replication engine.</summary>
    Task<IBlockDevice> OpenSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken);

    /// <summary>Turns changed-block tracking on for every disk of the VM (effective from the next snapshot).</summary>
    Task EnableChangeTrackingAsync(string vmId, CancellationToken cancellationToken);

    /// <summary>Asks the guest to shut down and waits until the VM is off, at most <paramref name="timeout"/>.</summary>
    Task ShutdownGuestAsync(string vmId, TimeSpan timeout, CancellationToken cancellationToken);

    Task PowerOffAsync(string vmId, CancellationToken cancellationToken);

    Task PowerOnAsync(string vmId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the VM and its disks from the source platform. Refuses a VM that is not powered off
    /// (<see cref="ConnectorErrorKind.Conflict"/>: the caller stops it first); <see cref="ConnectorErrorKind.NotFound"/>
    /// when it does not exist. Only ever called after a fully successful cutover of a plan that asked for it.
    /// </summary>
    Task DeleteVmAsync(string vmId, CancellationToken cancellationToken);
}
