namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>A snapshot of a VM, with the change id each disk had at that moment (the base of the next delta).</summary>
public sealed record SourceSnapshot(string Id, string Name, DateTimeOffset? CreatedAt, IReadOnlyList<SnapshotDisk> Disks);

/// <param name="ChangeId">The platform's change id for the disk at the snapshot; null when changed-block tracking was off.</param>
public sealed record SnapshotDisk(string DiskKey, string? ChangeId);
