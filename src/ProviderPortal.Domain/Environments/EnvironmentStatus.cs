namespace ProviderPortal.Domain.Environments;

/// <summary>Whether the portal can talk to an environment.</summary>
public enum EnvironmentStatus
{
    /// <summary>Saved without a passing connection test: nothing syncs until a test passes.</summary>
    Unverified = 0,

    /// <summary>The last connection test or sync succeeded.</summary>
    Connected = 1,

    /// <summary>The last connection test or sync failed; <see cref="SourceEnvironment.LastError"/> says why.</summary>
    Failing = 2,
}
