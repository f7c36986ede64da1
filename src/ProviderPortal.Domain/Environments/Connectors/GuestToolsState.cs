namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>Whether the guest agent (VMware Tools, Xen guest tools) runs: a clean guest shutdown needs it.</summary>
public enum GuestToolsState
{
    Unknown = 0,
    NotInstalled = 1,
    NotRunning = 2,
    Running = 3,
    Outdated = 4,
}
