namespace ProviderPortal.Domain.Tenants;

/// <summary>A customer of the provider. Its quotas bound what its replications may use.</summary>
public sealed class Tenant
{
    public const int MaxSuspensionReasonLength = 500;

    private Tenant()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The short, unique, URL-safe name.</summary>
    public string Slug { get; private set; } = "";

    public string ContactName { get; private set; } = "";

    public string ContactEmail { get; private set; } = "";

    /// <summary>An IANA or Windows time zone id; every time shown to the tenant is in it.</summary>
    public string TimeZoneId { get; private set; } = "UTC";

    public int MaxConcurrentReplications { get; private set; }

    public int BandwidthCapMbps { get; private set; }

    public TenantStatus Status { get; private set; }

    public string? SuspensionReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SuspendedAt { get; private set; }

    public bool IsSuspended => Status == TenantStatus.Suspended;

    public static Tenant Create(TenantDetails details, DateTimeOffset now)
    {
        ThrowIfInvalid(details);
        var tenant = new Tenant { Id = Guid.NewGuid(), CreatedAt = now, Status = TenantStatus.Active };
        tenant.Apply(details);
        return tenant;
    }

    public void Update(TenantDetails details)
    {
        ThrowIfInvalid(details);
        Apply(details);
    }

    public TenantDetails ToDetails() =>
        new(Name, Slug, ContactName, ContactEmail, TimeZoneId, MaxConcurrentReplications, BandwidthCapMbps);

    public void Suspend(string reason, DateTimeOffset now)
    {
        if (IsSuspended)
        {
            throw new DomainException($"{Name} is already suspended.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Give a reason for the suspension; the tenant's users will not be able to sign in.");
        }

        if (reason.Trim().Length > MaxSuspensionReasonLength)
        {
            throw new DomainException($"The reason can be at most {MaxSuspensionReasonLength} characters.");
        }

        Status = TenantStatus.Suspended;
        SuspensionReason = reason.Trim();
        SuspendedAt = now;
    }

    public void Reactivate()
    {
        if (!IsSuspended)
        {
            throw new DomainException($"{Name} is not suspended.");
        }

        Status = TenantStatus.Active;
        SuspensionReason = null;
        SuspendedAt = null;
    }

    private static void ThrowIfInvalid(TenantDetails details)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }
    }

    private void Apply(TenantDetails details)
    {
        Name = details.Name.Trim();
        Slug = details.Slug;
        ContactName = details.ContactName.Trim();
        ContactEmail = details.ContactEmail;
        TimeZoneId = details.TimeZoneId;
        MaxConcurrentReplications = details.MaxConcurrentReplications;
        BandwidthCapMbps = details.BandwidthCapMbps;
    }
}
