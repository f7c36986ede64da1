using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Tests.Audit;

public sealed class AuditInterceptorTests : IDisposable
{
    private const string PasswordHash = "AQAAAAIAAYagAAAAEsecret-password-hash";
    private const string SecurityStamp = "SECURITYSTAMP-7F3A";
    private const string ConcurrencyStamp = "CONCURRENCY-1B2C";

    private readonly TestDatabase _database = new();
    private readonly Tenant _tenant = Tenant.Create(new TenantDetails("Tenant A", "tenant-a", "Ada", "ada@a.example", "UTC", 2, 100), TestDatabase.Now);

    public AuditInterceptorTests()
    {
        using var context = _database.CreateContext(TestDatabase.System());
        context.Add(_tenant);
        context.SaveChanges();
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public void SaveChanges_NewInvitation_RecordsWhoWhatAndValues()
    {
        var invitation = Invitation.Create(Guid.Empty, "new@tenant-a.example", PortalRoles.TenantMember, "TOKENHASH-9C", "ada", TestDatabase.Now, Invitation.DefaultLifetime);
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id, "ada@a.example", "user-ada")))
        {
            context.Add(invitation);
            context.SaveChanges();
        }

        var entry = SingleEntryFor(nameof(Invitation), invitation.Id.ToString());
        Assert.Equal(AuditAction.Created, entry.Action);
        Assert.Equal(_tenant.Id, entry.TenantId);
        Assert.Equal("user-ada", entry.UserId);
        Assert.Equal("ada@a.example", entry.UserName);
        Assert.Equal(TestDatabase.Now, entry.At);
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("new@tenant-a.example", changes.RootElement.GetProperty("Email").GetProperty("after").GetString());
        Assert.Equal(_tenant.Id, changes.RootElement.GetProperty("TenantId").GetProperty("after").GetGuid());
        Assert.Equal("(secret)", changes.RootElement.GetProperty("TokenHash").GetProperty("after").GetString());
        Assert.DoesNotContain("TOKENHASH-9C", entry.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveChanges_ChangedTenant_RecordsBeforeAndAfterOfChangedPropertiesOnly()
    {
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id, "ada@a.example", "user-ada")))
        {
            var tenant = context.Tenants.Single();
            tenant.Update(tenant.ToDetails() with { Name = "Tenant A Renamed" });
            context.SaveChanges();
        }

        var entry = SingleEntryFor(nameof(Tenant), _tenant.Id.ToString(), AuditAction.Updated);
        Assert.Equal(_tenant.Id, entry.TenantId);
        Assert.Equal("ada@a.example", entry.UserName);
        using var changes = JsonDocument.Parse(entry.Changes);
        var name = changes.RootElement.GetProperty("Name");
        Assert.Equal("Tenant A", name.GetProperty("before").GetString());
        Assert.Equal("Tenant A Renamed", name.GetProperty("after").GetString());
        Assert.Equal(["Name"], changes.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void SaveChanges_DeletedInvitation_RecordsKeyAndEmail()
    {
        var invitation = Invitation.Create(_tenant.Id, "gone@tenant-a.example", PortalRoles.TenantMember, "HASH", null, TestDatabase.Now, Invitation.DefaultLifetime);
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id)))
        {
            context.Add(invitation);
            context.SaveChanges();
            context.Remove(invitation);
            context.SaveChanges();
        }

        var entry = SingleEntryFor(nameof(Invitation), invitation.Id.ToString(), AuditAction.Deleted);
        Assert.Equal("system", entry.UserName);
        Assert.Null(entry.UserId);
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("gone@tenant-a.example", changes.RootElement.GetProperty("Email").GetProperty("before").GetString());
        Assert.Equal(invitation.Id, changes.RootElement.GetProperty("Id").GetProperty("before").GetGuid());
    }

    [Fact]
    public void SaveChanges_NewUserWithSecrets_NamesThemWithoutTheirValues()
    {
        var user = new PortalUser
        {
            TenantId = _tenant.Id,
            UserName = "user@tenant-a.example",
            Email = "user@tenant-a.example",
            PasswordHash = PasswordHash,
            SecurityStamp = SecurityStamp,
            ConcurrencyStamp = ConcurrencyStamp,
        };
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id, "ada@a.example")))
        {
            context.Add(user);
            context.SaveChanges();
        }

        var entry = SingleEntryFor("User", user.Id);
        Assert.Equal(_tenant.Id, entry.TenantId);
        AssertNoSecretValues(entry.Changes);
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("(secret)", changes.RootElement.GetProperty(nameof(PortalUser.PasswordHash)).GetProperty("after").GetString());
        Assert.Equal("(secret)", changes.RootElement.GetProperty(nameof(PortalUser.SecurityStamp)).GetProperty("after").GetString());
        Assert.Equal("user@tenant-a.example", changes.RootElement.GetProperty(nameof(PortalUser.Email)).GetProperty("after").GetString());
    }

    [Fact]
    public void SaveChanges_ChangedPassword_RecordsThatItChangedWithoutValues()
    {
        var user = new PortalUser { TenantId = _tenant.Id, UserName = "user@tenant-a.example", PasswordHash = "OLD-" + PasswordHash, SecurityStamp = "OLD-" + SecurityStamp };
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id)))
        {
            context.Add(user);
            context.SaveChanges();
            user.PasswordHash = PasswordHash;
            user.SecurityStamp = SecurityStamp;
            context.SaveChanges();
        }

        var entry = SingleEntryFor("User", user.Id, AuditAction.Updated);
        AssertNoSecretValues(entry.Changes);
        Assert.DoesNotContain("OLD-", entry.Changes, StringComparison.Ordinal);
        using var changes = JsonDocument.Parse(entry.Changes);
        var password = changes.RootElement.GetProperty(nameof(PortalUser.PasswordHash));
        Assert.Equal("(secret)", password.GetProperty("before").GetString());
        Assert.Equal("(secret changed)", password.GetProperty("after").GetString());
    }

    [Fact]
    public void SaveChanges_NewUserToken_HidesTheTokenValue()
    {
        var user = new PortalUser { TenantId = _tenant.Id, UserName = "user@tenant-a.example" };
        using (var context = _database.CreateContext(TestDatabase.ForTenant(_tenant.Id)))
        {
            context.Add(user);
            context.SaveChanges();
            context.Add(new IdentityUserToken<string> { UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = "JBSWY3DPEHPK3PXP" });
            context.SaveChanges();
        }

        var entry = SingleEntryFor("UserToken", $"{user.Id},[AspNetUserStore],AuthenticatorKey");
        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", entry.Changes, StringComparison.Ordinal);
        using var changes = JsonDocument.Parse(entry.Changes);
        Assert.Equal("(secret)", changes.RootElement.GetProperty("Value").GetProperty("after").GetString());
    }

    private static void AssertNoSecretValues(string changes)
    {
        Assert.DoesNotContain(PasswordHash, changes, StringComparison.Ordinal);
        Assert.DoesNotContain(SecurityStamp, changes, StringComparison.Ordinal);
        Assert.DoesNotContain(ConcurrencyStamp, changes, StringComparison.Ordinal);
    }

    private AuditEntry SingleEntryFor(string entityType, string entityId, AuditAction action = AuditAction.Created)
    {
        using var context = _database.CreateContext(TestDatabase.System());
        return Assert.Single(context.AuditEntries.Where(e => e.EntityType == entityType && e.EntityId == entityId && e.Action == action).ToList());
    }
}
