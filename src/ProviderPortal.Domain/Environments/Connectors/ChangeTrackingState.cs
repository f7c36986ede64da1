namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>Changed-block tracking on a disk: deltas need it on.</summary>
public enum ChangeTrackingState
{
    Unknown = 0,
    Disabled = 1,
    Enabled = 2,
    NotSupported = 3,
}
