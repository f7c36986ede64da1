using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Domain.Email;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Tests.Tenancy;

/// <summary>The query filters and the stamp interceptor on a real, migrated SQLite file.</summary>
public sealed class TenantIsolationTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly Tenant _a;
    private readonly Tenant _b;

    public TenantIsolationTests()
    {
        using var context = _database.CreateContext(TestDatabase.System());
        _a = Tenant.Create(new TenantDetails("Tenant A", "tenant-a", "Ada", "ada@a.example", "UTC", 2, 100), TestDatabase.Now);
        _b = Tenant.Create(new TenantDetails("Tenant B", "tenant-b", "Bob", "bob@b.example", "UTC", 2, 100), TestDatabase.Now);
        context.AddRange(_a, _b);
        foreach (var tenant in new[] { _a, _b })
        {
            var slug = tenant.Slug;
            context.Add(Invitation.Create(tenant.Id, $"new@{slug}.example", PortalRoles.TenantMember, "HASH-" + slug, null, TestDatabase.Now, Invitation.DefaultLifetime));
            context.Add(OutboxMessage.Create(tenant.Id, $"new@{slug}.example", "Invitation", "<p>Hi</p>", "Hi", TestDatabase.Now));
            context.Add(new PortalUser { UserName = $"user@{slug}.example", Email = $"user@{slug}.example", TenantId = tenant.Id });
        }

        context.Add(OutboxMessage.Create(null, "staff@provider.example", "Report", "<p>Hi</p>", "Hi", TestDatabase.Now));
        context.Add(new PortalUser { UserName = "staff@provider.example", Email = "staff@provider.example" });
        context.SaveChanges();
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Query_TenantScope_SeesOnlyItsOwnRows()
    {
        using var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id));

        Assert.Equal([_a.Id], context.Tenants.Select(t => t.Id).ToList());
        Assert.Equal(["new@tenant-a.example"], context.Invitations.Select(i => i.Email).ToList());
        Assert.Equal(["new@tenant-a.example"], context.OutboxMessages.Select(m => m.ToAddress).ToList());
        Assert.Equal(["user@tenant-a.example"], context.Users.Select(u => u.UserName).ToList());
        var audited = context.AuditEntries.ToList();
        Assert.NotEmpty(audited);
        Assert.All(audited, e => Assert.Equal(_a.Id, e.TenantId));
    }

    [Fact]
    public void Query_TenantScope_CannotFindOtherTenantsRowById()
    {
        using var system = _database.CreateContext(TestDatabase.System());
        var invitationOfB = system.Invitations.Single(i => i.TenantId == _b.Id).Id;
        using var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id));

        Assert.Null(context.Invitations.SingleOrDefault(i => i.Id == invitationOfB));
        Assert.Null(context.Tenants.Find(_b.Id));
    }

    [Fact]
    public void Query_AnonymousPrincipal_SeesNoTenantRowsButFindsAccounts()
    {
        var scope = new TenantScope();
        scope.UsePrincipal(new ClaimsPrincipal(new ClaimsIdentity()));
        using var context = _database.CreateContext(scope);

        Assert.Empty(context.Tenants.ToList());
        Assert.Empty(context.Invitations.ToList());
        Assert.Empty(context.OutboxMessages.ToList());
        Assert.Empty(context.AuditEntries.ToList());

        // By design: sign-in and password reset run before anyone is signed in and must find the account.
        Assert.Equal(3, context.Users.Count());
    }

    [Fact]
    public void Query_TenantUserPrincipal_SeesOnlyItsTenant()
    {
        var scope = new TenantScope();
        scope.UsePrincipal(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "user@tenant-b.example"), new Claim(ClaimTypes.Role, PortalRoles.TenantAdmin), new Claim(TenantScope.TenantClaimType, _b.Id.ToString())],
            "test")));
        using var context = _database.CreateContext(scope);

        Assert.Equal([_b.Id], context.Tenants.Select(t => t.Id).ToList());
        Assert.Equal(["new@tenant-b.example"], context.Invitations.Select(i => i.Email).ToList());
    }

    [Fact]
    public void Query_SystemScope_SeesAllRows()
    {
        using var context = _database.CreateContext(TestDatabase.System());

        Assert.Equal(2, context.Tenants.Count());
        Assert.Equal(2, context.Invitations.Count());
        Assert.Equal(3, context.OutboxMessages.Count());
        Assert.Equal(3, context.Users.Count());
        Assert.Equal(
            new HashSet<Guid?> { _a.Id, _b.Id, null },
            context.AuditEntries.Select(e => e.TenantId).ToHashSet());
    }

    [Fact]
    public void SaveChanges_NewInvitationWithoutTenantInTenantScope_IsStampedWithTheTenant()
    {
        Guid id;
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            var invitation = Invitation.Create(Guid.Empty, "second@tenant-a.example", PortalRoles.TenantAdmin, "HASH", null, TestDatabase.Now, Invitation.DefaultLifetime);
            context.Add(invitation);
            context.SaveChanges();
            id = invitation.Id;
        }

        using var system = _database.CreateContext(TestDatabase.System());
        Assert.Equal(_a.Id, system.Invitations.Single(i => i.Id == id).TenantId);
    }

    [Fact]
    public void SaveChanges_NewInvitationForOtherTenant_IsRefused()
    {
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            context.Add(Invitation.Create(_b.Id, "sneaky@tenant-b.example", PortalRoles.TenantAdmin, "HASH", null, TestDatabase.Now, Invitation.DefaultLifetime));

            Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
        }

        AssertInvitationsUnchanged();
    }

    [Fact]
    public void SaveChanges_ModifyingOtherTenantsInvitation_IsRefused()
    {
        var invitationOfB = LoadDetached(c => c.Invitations.Single(i => i.TenantId == _b.Id));
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            context.Attach(invitationOfB);
            invitationOfB.Revoke(TestDatabase.Now);

            Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
        }

        AssertInvitationsUnchanged();
    }

    [Fact]
    public void SaveChanges_DeletingOtherTenantsInvitation_IsRefused()
    {
        var invitationOfB = LoadDetached(c => c.Invitations.Single(i => i.TenantId == _b.Id));
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            context.Remove(invitationOfB);

            Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
        }

        AssertInvitationsUnchanged();
    }

    [Fact]
    public void SaveChanges_ModifyingOwnInvitation_IsAllowed()
    {
        var invitationOfA = LoadDetached(c => c.Invitations.Single(i => i.TenantId == _a.Id));
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            context.Attach(invitationOfA);
            invitationOfA.Revoke(TestDatabase.Now);
            context.SaveChanges();
        }

        using var system = _database.CreateContext(TestDatabase.System());
        Assert.Equal(InvitationStatus.Revoked, system.Invitations.Single(i => i.Id == invitationOfA.Id).Status);
    }

    [Fact]
    public void SaveChanges_TenantOwnedRowFromClosedScope_IsRefused()
    {
        using (var context = _database.CreateContext(new TenantScope()))
        {
            context.Add(Invitation.Create(_a.Id, "late@tenant-a.example", PortalRoles.TenantMember, "HASH", null, TestDatabase.Now, Invitation.DefaultLifetime));

            Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
        }

        AssertInvitationsUnchanged();
    }

    [Fact]
    public void SaveChanges_OutboxMessageFromClosedScope_IsRefused()
    {
        using var context = _database.CreateContext(new TenantScope());
        context.Add(OutboxMessage.Create(_a.Id, "late@tenant-a.example", "s", "h", "t", TestDatabase.Now));

        Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
    }

    [Fact]
    public void SaveChanges_MovingUserToOtherTenantFromClosedScope_IsRefused()
    {
        var user = LoadDetached(c => c.Users.Single(u => u.TenantId == _a.Id));
        using var context = _database.CreateContext(new TenantScope());
        context.Attach(user);
        user.TenantId = _b.Id;

        Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
    }

    [Fact]
    public void SaveChanges_ChangingOtherTenantsTenantRow_IsRefused()
    {
        var tenantB = LoadDetached(c => c.Tenants.Single(t => t.Id == _b.Id));
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id)))
        {
            context.Attach(tenantB);
            tenantB.Suspend("Taken over by tenant A", TestDatabase.Now);

            Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
        }

        using var system = _database.CreateContext(TestDatabase.System());
        Assert.False(system.Tenants.Single(t => t.Id == _b.Id).IsSuspended);
    }

    [Fact]
    public void SaveChanges_NewUserWithoutTenantInTenantScope_IsRefused()
    {
        // A user without a tenant is provider staff; a tenant cannot create one.
        using var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id));
        context.Add(new PortalUser { UserName = "staff2@provider.example" });

        Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
    }

    [Fact]
    public void SaveChanges_NewTenantFromTenantScope_IsRefused()
    {
        using var context = _database.CreateContext(TestDatabase.ForTenant(_a.Id));
        context.Add(Tenant.Create(new TenantDetails("Tenant C", "tenant-c", "Cy", "cy@c.example", "UTC", 1, 1), TestDatabase.Now));

        Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
    }

    [Fact]
    public void SaveChanges_NewInvitationWithoutTenantInSystemScope_IsRefused()
    {
        using var context = _database.CreateContext(TestDatabase.System());
        context.Add(Invitation.Create(Guid.Empty, "orphan@provider.example", PortalRoles.TenantMember, "HASH", null, TestDatabase.Now, Invitation.DefaultLifetime));

        Assert.Throws<TenantIsolationException>(() => context.SaveChanges());
    }

    private T LoadDetached<T>(Func<PortalDbContext, T> query)
    {
        using var system = _database.CreateContext(TestDatabase.System());
        system.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return query(system);
    }

    private void AssertInvitationsUnchanged()
    {
        using var system = _database.CreateContext(TestDatabase.System());
        var invitations = system.Invitations.OrderBy(i => i.Email).ToList();
        Assert.Equal(["new@tenant-a.example", "new@tenant-b.example"], invitations.Select(i => i.Email));
        Assert.All(invitations, i => Assert.Equal(InvitationStatus.Pending, i.Status));

        // Two tenants, two invitations and three users were created; a refused save records nothing.
        Assert.Equal(7, system.AuditEntries.Count());
    }
}
