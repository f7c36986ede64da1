namespace ProviderPortal.Domain.Environments;

/// <summary>
/// A tenant's on-prem environment: where it is, how to log in (the secret stays encrypted, see
/// <see cref="ProtectedSecret"/>), which certificate is trusted, and how its inventory sync is doing.
/// </summary>
public sealed class SourceEnvironment : ITenantOwned
{
    public const int MinSyncIntervalMinutes = 5;
    public const int MaxSyncIntervalMinutes = 24 * 60;
    public const int MaxErrorLength = 1000;

    private SourceEnvironment()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Name { get; private set; } = "";

    public EnvironmentKind Kind { get; private set; }

    /// <summary>The https endpoint; null for a lab.</summary>
    public string? Endpoint { get; private set; }

    public string? UserName { get; private set; }

    /// <summary>The password or token, encrypted by the web app's data protection; never decrypted for display.</summary>
    public string? ProtectedSecret { get; private set; }

    /// <summary>The SHA-256 thumbprint of the certificate the user trusted; a server presenting another is refused.</summary>
    public string? TrustedThumbprint { get; private set; }

    /// <summary>vCenter only: read snapshot disks from this NBD location instead of the datastores.</summary>
    public string? NbdUriTemplate { get; private set; }

    /// <summary>Xen Orchestra only: the pool master's XAPI, for changed-block deltas; null when not given.</summary>
    public string? HypervisorEndpoint { get; private set; }

    public string? HypervisorUserName { get; private set; }

    /// <summary>The pool master's password, encrypted like <see cref="ProtectedSecret"/>.</summary>
    public string? ProtectedHypervisorSecret { get; private set; }

    public string? HypervisorThumbprint { get; private set; }

    public EnvironmentStatus Status { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastTestedAt { get; private set; }

    public int SyncIntervalMinutes { get; private set; } = 60;

    [NotAudited]
    public SyncState SyncState { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastSyncStartedAt { get; private set; }

    [NotAudited]
    public DateTimeOffset? LastSyncFinishedAt { get; private set; }

    /// <summary>When the last sync that succeeded finished: the inventory shown is this old.</summary>
    [NotAudited]
    public DateTimeOffset? LastSyncSucceededAt { get; private set; }

    [NotAudited]
    public string? LastSyncError { get; private set; }

    [NotAudited]
    public int VmCount { get; private set; }

    public bool IsLab => Kind == EnvironmentKind.Lab;

    /// <summary>
    /// Registers an environment. <paramref name="verified"/> says the connection test passed with these
    /// settings; otherwise the user chose to save it unverified and nothing syncs until a test passes.
    /// </summary>
    public static SourceEnvironment Register(EnvironmentDetails details, string? protectedSecret, string? trustedThumbprint, bool verified, DateTimeOffset now)
    {
        ThrowIfInvalid(details);
        var environment = new SourceEnvironment { Id = Guid.NewGuid(), CreatedAt = now };
        environment.Apply(details, protectedSecret, trustedThumbprint);
        environment.Status = verified ? EnvironmentStatus.Connected : EnvironmentStatus.Unverified;
        environment.LastTestedAt = verified ? now : null;
        return environment;
    }

    public EnvironmentDetails ToDetails() => new(Name, Kind, Endpoint, UserName)
    {
        NbdUriTemplate = NbdUriTemplate,
        HypervisorEndpoint = HypervisorEndpoint,
        HypervisorUserName = HypervisorUserName,
    };

    /// <summary>
    /// Sets or clears the pool master access of a Xen Orchestra environment. A null <paramref name="protectedSecret"/>
    /// keeps the stored one; no endpoint in the details clears everything.
    /// </summary>
    public void SetHypervisorAccess(string? protectedSecret, string? thumbprint)
    {
        if (Kind != EnvironmentKind.XenOrchestra || HypervisorEndpoint is null)
        {
            ProtectedHypervisorSecret = null;
            HypervisorThumbprint = null;
            return;
        }

        ProtectedHypervisorSecret = protectedSecret ?? ProtectedHypervisorSecret;
        HypervisorThumbprint = thumbprint;
    }

    /// <summary>
    /// Changes the settings. A null <paramref name="protectedSecret"/> keeps the stored secret. Changing where or
    /// as whom it connects needs a new test, so the environment is unverified until <paramref name="verified"/>.
    /// </summary>
    public void Update(EnvironmentDetails details, string? protectedSecret, string? trustedThumbprint, bool verified, DateTimeOffset now)
    {
        ThrowIfInvalid(details);
        if (details.Kind != Kind)
        {
            throw new DomainException("The kind of an environment cannot change; register a new one instead.");
        }

        Apply(details, protectedSecret ?? ProtectedSecret, trustedThumbprint);
        if (verified)
        {
            MarkConnected(now);
        }
        else
        {
            Status = EnvironmentStatus.Unverified;
        }
    }

    public void MarkConnected(DateTimeOffset now)
    {
        Status = EnvironmentStatus.Connected;
        LastError = null;
        LastTestedAt = now;
    }

    public void MarkFailing(string error, DateTimeOffset now)
    {
        Status = EnvironmentStatus.Failing;
        LastError = Clip(error);
        LastTestedAt = now;
    }

    public void SetSyncInterval(int minutes)
    {
        if (minutes is < MinSyncIntervalMinutes or > MaxSyncIntervalMinutes)
        {
            throw new DomainException($"The sync interval must be between {MinSyncIntervalMinutes} minutes and 24 hours.");
        }

        SyncIntervalMinutes = minutes;
    }

    /// <summary>Whether a sync may start now: only a verified environment, and not while one is queued or running.</summary>
    public bool CanSync => Status != EnvironmentStatus.Unverified && SyncState is not (SyncState.Queued or SyncState.Running);

    public void QueueSync()
    {
        if (Status == EnvironmentStatus.Unverified)
        {
            throw new DomainException($"{Name} has not passed a connection test yet: test the connection first.");
        }

        if (SyncState is SyncState.Queued or SyncState.Running)
        {
            throw new DomainException($"An inventory sync of {Name} is already {(SyncState == SyncState.Queued ? "queued" : "running")}.");
        }

        SyncState = SyncState.Queued;
    }

    public void StartSync(DateTimeOffset now)
    {
        SyncState = SyncState.Running;
        LastSyncStartedAt = now;
    }

    public void CompleteSync(int vmCount, DateTimeOffset now)
    {
        SyncState = SyncState.Succeeded;
        VmCount = vmCount;
        LastSyncFinishedAt = now;
        LastSyncSucceededAt = now;
        LastSyncError = null;
        MarkConnected(now);
    }

    public void FailSync(string error, DateTimeOffset now)
    {
        SyncState = SyncState.Failed;
        LastSyncFinishedAt = now;
        LastSyncError = Clip(error);
        MarkFailing(error, now);
    }

    /// <summary>A periodic sync is due when the last one started at least the interval ago.</summary>
    public bool IsSyncDue(DateTimeOffset now) =>
        CanSync && (LastSyncStartedAt is null || now - LastSyncStartedAt.Value >= TimeSpan.FromMinutes(SyncIntervalMinutes));

    private static string Clip(string error) => error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 3)] + "...";

    private static void ThrowIfInvalid(EnvironmentDetails details)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }
    }

    private void Apply(EnvironmentDetails details, string? protectedSecret, string? trustedThumbprint)
    {
        Name = details.Name.Trim();
        Kind = details.Kind;
        Endpoint = details.Kind == EnvironmentKind.Lab ? null : details.Endpoint!.Trim();
        UserName = string.IsNullOrWhiteSpace(details.UserName) || details.Kind == EnvironmentKind.Lab ? null : details.UserName.Trim();
        ProtectedSecret = details.Kind == EnvironmentKind.Lab ? null : protectedSecret;
        TrustedThumbprint = details.Kind == EnvironmentKind.Lab ? null : trustedThumbprint;
        NbdUriTemplate = details.Kind == EnvironmentKind.VCenter && !string.IsNullOrWhiteSpace(details.NbdUriTemplate) ? details.NbdUriTemplate.Trim() : null;
        var hasHypervisor = details.Kind == EnvironmentKind.XenOrchestra && !string.IsNullOrWhiteSpace(details.HypervisorEndpoint);
        HypervisorEndpoint = hasHypervisor ? details.HypervisorEndpoint!.Trim() : null;
        HypervisorUserName = hasHypervisor ? details.HypervisorUserName?.Trim() : null;
        if (!hasHypervisor)
        {
            ProtectedHypervisorSecret = null;
            HypervisorThumbprint = null;
        }
    }
}
