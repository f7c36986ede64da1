namespace ProviderPortal.Domain.Invitations;

/// <summary>
/// An invitation to join a tenant in a role. Pending → Accepted | Expired | Revoked; nothing else.
/// </summary>
public sealed class Invitation : ITenantOwned
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    private Invitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Email { get; private set; } = "";

    public string Role { get; private set; } = "";

    public string TokenHash { get; private set; } = "";

    public InvitationStatus Status { get; private set; }

    public string? InvitedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public static Invitation Create(Guid tenantId, string email, string role, string tokenHash, string? invitedBy, DateTimeOffset now, TimeSpan lifetime)
    {
        if (Tenants.EmailAddress.IsTooLong(email))
        {
            throw new DomainException(Tenants.EmailAddress.TooLongMessage);
        }

        if (!Tenants.EmailAddress.IsValid(email))
        {
            throw new DomainException("Enter a valid email address, like name@example.com.");
        }

        if (!PortalRoles.IsTenantRole(role))
        {
            throw new DomainException("Choose the role: tenant administrator or tenant member.");
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw new DomainException("An invitation must be valid for some time.");
        }

        return new Invitation
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            Email = Tenants.EmailAddress.Normalize(email),
            Role = role,
            TokenHash = tokenHash,
            Status = InvitationStatus.Pending,
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public bool IsOpenAt(DateTimeOffset now) => Status == InvitationStatus.Pending && now < ExpiresAt;

    /// <summary>Accepting sets the password of the new account; it is refused once the invitation is closed or expired.</summary>
    public void Accept(DateTimeOffset now)
    {
        switch (Status)
        {
            case InvitationStatus.Accepted:
                throw new DomainException("This invitation has already been accepted. Sign in with the password you chose.");
            case InvitationStatus.Revoked:
                throw new DomainException("This invitation was withdrawn. Ask your administrator for a new one.");
            case InvitationStatus.Expired:
                throw new DomainException("This invitation has expired. Ask your administrator for a new one.");
        }

        if (now >= ExpiresAt)
        {
            throw new DomainException("This invitation has expired. Ask your administrator for a new one.");
        }

        Status = InvitationStatus.Accepted;
        ClosedAt = now;
    }

    /// <summary>Marks a pending invitation whose time has passed; returns false when there is nothing to do.</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (Status != InvitationStatus.Pending || now < ExpiresAt)
        {
            return false;
        }

        Status = InvitationStatus.Expired;
        ClosedAt = now;
        return true;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (Status != InvitationStatus.Pending)
        {
            throw new DomainException("Only a pending invitation can be withdrawn.");
        }

        Status = InvitationStatus.Revoked;
        ClosedAt = now;
    }
}
