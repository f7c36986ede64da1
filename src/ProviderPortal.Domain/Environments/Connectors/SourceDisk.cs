namespace ProviderPortal.Domain.Environments.Connectors;

/// <param name="Key">The platform's disk key (a vCenter device key such as 2000, an XO VDI uuid, a lab disk name).</param>
/// <param name="AllocatedBytes">Bytes in use on the datastore, when the platform tells.</param>
/// <param name="Path">Where the disk lives ("[datastore] vm/vm.vmdk", an SR name, a lab file), for people to read.</param>
public sealed record SourceDisk(string Key, string Label, long CapacityBytes, long? AllocatedBytes, ChangeTrackingState ChangeTracking, string? Path);
