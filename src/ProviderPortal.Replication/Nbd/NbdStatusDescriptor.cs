namespace ProviderPortal.Replication.Nbd;

/// <summary>One block-status descriptor: a run of Length bytes with Flags in meta context ContextId.</summary>
internal readonly record struct NbdStatusDescriptor(uint ContextId, uint Length, uint Flags);
