namespace ProviderPortal.Domain.Environments.Connectors;

public enum VmPowerState
{
    Unknown = 0,
    PoweredOn = 1,
    PoweredOff = 2,
    Suspended = 3,
    Paused = 4,
}
