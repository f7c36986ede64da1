namespace ProviderPortal.Connectors.Lab;

/// <summary>One write the workload wants to make into a disk of a running VM.</summary>
internal readonly record struct LabWrite(string DiskKey, long Offset, ReadOnlyMemory<byte> Data);
