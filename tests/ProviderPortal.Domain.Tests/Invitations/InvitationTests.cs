using ProviderPortal.Domain.Invitations;

namespace ProviderPortal.Domain.Tests.Invitations;

public class InvitationTests
{
    private static readonly Guid TenantId = Guid.NewGuid();

    private static Invitation Pending() =>
        Invitation.Create(TenantId, "Ada@Acme.example", PortalRoles.TenantMember, "HASH", "admin@provider.example", Given.Now, Invitation.DefaultLifetime);

    [Fact]
    public void Create_ValidInput_IsPendingUntilLifetimeEnds()
    {
        var invitation = Pending();

        Assert.NotEqual(Guid.Empty, invitation.Id);
        Assert.Equal(TenantId, invitation.TenantId);
        Assert.Equal("ada@acme.example", invitation.Email);
        Assert.Equal(PortalRoles.TenantMember, invitation.Role);
        Assert.Equal("HASH", invitation.TokenHash);
        Assert.Equal("admin@provider.example", invitation.InvitedBy);
        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.Equal(Given.Now, invitation.CreatedAt);
        Assert.Equal(Given.Now.AddDays(7), invitation.ExpiresAt);
        Assert.Null(invitation.ClosedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ada")]
    [InlineData(" ada@acme.example")]
    public void Create_InvalidEmail_IsRefused(string email)
    {
        var error = Assert.Throws<DomainException>(() =>
            Invitation.Create(TenantId, email, PortalRoles.TenantAdmin, "HASH", null, Given.Now, Invitation.DefaultLifetime));

        Assert.Equal("Enter a valid email address, like name@example.com.", error.Message);
    }

    [Theory]
    [InlineData(PortalRoles.ProviderAdmin)]
    [InlineData(PortalRoles.ProviderOperator)]
    [InlineData("Owner")]
    public void Create_RoleOutsideTheTenant_IsRefused(string role)
    {
        var error = Assert.Throws<DomainException>(() =>
            Invitation.Create(TenantId, "ada@acme.example", role, "HASH", null, Given.Now, Invitation.DefaultLifetime));

        Assert.Equal("Choose the role: tenant administrator or tenant member.", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Create_NoLifetime_IsRefused(int seconds)
    {
        var error = Assert.Throws<DomainException>(() =>
            Invitation.Create(TenantId, "ada@acme.example", PortalRoles.TenantAdmin, "HASH", null, Given.Now, TimeSpan.FromSeconds(seconds)));

        Assert.Equal("An invitation must be valid for some time.", error.Message);
    }

    [Fact]
    public void IsOpenAt_BeforeAndAtExpiry_OpenOnlyBefore()
    {
        var invitation = Pending();

        Assert.True(invitation.IsOpenAt(invitation.ExpiresAt.AddTicks(-1)));
        Assert.False(invitation.IsOpenAt(invitation.ExpiresAt));
    }

    [Fact]
    public void Accept_PendingBeforeExpiry_IsAccepted()
    {
        var invitation = Pending();
        var at = Given.Now.AddDays(1);

        invitation.Accept(at);

        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
        Assert.Equal(at, invitation.ClosedAt);
        Assert.False(invitation.IsOpenAt(at));
    }

    [Fact]
    public void Accept_PendingAtExpiry_IsRefusedAsExpired()
    {
        var invitation = Pending();

        var error = Assert.Throws<DomainException>(() => invitation.Accept(invitation.ExpiresAt));

        Assert.Equal("This invitation has expired. Ask your administrator for a new one.", error.Message);
        Assert.Equal(InvitationStatus.Pending, invitation.Status);
    }

    [Fact]
    public void Accept_MarkedExpired_IsRefusedAsExpired()
    {
        var invitation = Pending();
        invitation.ExpireIfDue(invitation.ExpiresAt);

        var error = Assert.Throws<DomainException>(() => invitation.Accept(Given.Now));

        Assert.Equal("This invitation has expired. Ask your administrator for a new one.", error.Message);
        Assert.Equal(InvitationStatus.Expired, invitation.Status);
    }

    [Fact]
    public void Accept_Revoked_IsRefusedAsWithdrawn()
    {
        var invitation = Pending();
        invitation.Revoke(Given.Now.AddHours(1));

        var error = Assert.Throws<DomainException>(() => invitation.Accept(Given.Now.AddHours(2)));

        Assert.Equal("This invitation was withdrawn. Ask your administrator for a new one.", error.Message);
        Assert.Equal(InvitationStatus.Revoked, invitation.Status);
    }

    [Fact]
    public void Accept_AlreadyAccepted_IsRefusedAndKeepsFirstAcceptance()
    {
        var invitation = Pending();
        invitation.Accept(Given.Now.AddHours(1));

        var error = Assert.Throws<DomainException>(() => invitation.Accept(Given.Now.AddHours(2)));

        Assert.StartsWith("This invitation has already been accepted.", error.Message, StringComparison.Ordinal);
        Assert.Equal(Given.Now.AddHours(1), invitation.ClosedAt);
    }

    [Fact]
    public void ExpireIfDue_PendingBeforeExpiry_DoesNothing()
    {
        var invitation = Pending();

        Assert.False(invitation.ExpireIfDue(invitation.ExpiresAt.AddTicks(-1)));
        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.Null(invitation.ClosedAt);
    }

    [Fact]
    public void ExpireIfDue_PendingAtExpiry_MarksExpired()
    {
        var invitation = Pending();

        Assert.True(invitation.ExpireIfDue(invitation.ExpiresAt));
        Assert.Equal(InvitationStatus.Expired, invitation.Status);
        Assert.Equal(invitation.ExpiresAt, invitation.ClosedAt);
    }

    [Fact]
    public void ExpireIfDue_AlreadyAccepted_DoesNothing()
    {
        var invitation = Pending();
        invitation.Accept(Given.Now);

        Assert.False(invitation.ExpireIfDue(invitation.ExpiresAt.AddDays(1)));
        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
        Assert.Equal(Given.Now, invitation.ClosedAt);
    }

    [Fact]
    public void ExpireIfDue_AlreadyExpired_ReturnsFalseTheSecondTime()
    {
        var invitation = Pending();
        invitation.ExpireIfDue(invitation.ExpiresAt);

        Assert.False(invitation.ExpireIfDue(invitation.ExpiresAt.AddDays(1)));
        Assert.Equal(invitation.ExpiresAt, invitation.ClosedAt);
    }

    [Fact]
    public void Revoke_Pending_IsRevoked()
    {
        var invitation = Pending();

        invitation.Revoke(Given.Now.AddHours(3));

        Assert.Equal(InvitationStatus.Revoked, invitation.Status);
        Assert.Equal(Given.Now.AddHours(3), invitation.ClosedAt);
    }

    [Fact]
    public void Revoke_Accepted_IsRefused()
    {
        var invitation = Pending();
        invitation.Accept(Given.Now);

        var error = Assert.Throws<DomainException>(() => invitation.Revoke(Given.Now.AddHours(1)));

        Assert.Equal("Only a pending invitation can be withdrawn.", error.Message);
        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
    }

    [Fact]
    public void Revoke_AlreadyRevoked_IsRefused()
    {
        var invitation = Pending();
        invitation.Revoke(Given.Now);

        Assert.Throws<DomainException>(() => invitation.Revoke(Given.Now.AddHours(1)));
        Assert.Equal(Given.Now, invitation.ClosedAt);
    }

    [Fact]
    public void Create_EmailOf5000Characters_SaysTheLimit()
    {
        var error = Assert.Throws<DomainException>(() =>
            Invitation.Create(Guid.NewGuid(), new string('a', 4988) + "@example.com", PortalRoles.TenantMember, "hash", "admin", Given.Now, TimeSpan.FromDays(7)));

        Assert.Equal("An email address can be at most 254 characters.", error.Message);
    }
}
