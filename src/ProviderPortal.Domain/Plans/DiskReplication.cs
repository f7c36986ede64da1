namespace ProviderPortal.Domain.Plans;

/// <summary>
/// One disk of a replicated VM: where it is written and the change id of the last snapshot whose data is all on the
/// destination (the base of the next delta). <see cref="BytesCopied"/> counts every byte moved for it so far.
/// </summary>
public sealed record DiskReplication(string DiskKey, string Label, long CapacityBytes, string Target, string? ChangeId, long BytesCopied);
