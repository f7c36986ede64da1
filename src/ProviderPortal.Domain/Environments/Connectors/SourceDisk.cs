namespace ProviderPortal.Domain.Environments.Connectors;

/// <param name="Key">The platform's disk key (a vCenter device key such as 2000, an XO VDI uuid, a lab disk name).</param>
/// <param name="AllocatedBytes">Bytes in use on the datastore, when the platform tells.</param>
/// <param name="Path">Where the disk lives ("[datastore] vm/vm.vmdk", an SR name, a lab file), for people to read.</param>
/// <param name="Independent">Left out of snapshots (vSphere's independent modes): it cannot be copied while the VM runs.</param>
/// <param name="RawMapped">A raw device mapping (a LUN, not a virtual disk): it cannot be snapshotted or copied as one.</param>
public sealed record SourceDisk(string Key, string Label, long CapacityBytes, long? AllocatedBytes, ChangeTrackingState ChangeTracking, string? Path, bool Independent = false, bool RawMapped = false);
