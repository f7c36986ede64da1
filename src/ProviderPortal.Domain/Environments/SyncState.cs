namespace ProviderPortal.Domain.Environments;

/// <summary>The inventory sync of an environment.</summary>
public enum SyncState
{
    Never = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
}
