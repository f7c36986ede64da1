using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests.Tenants;

public class TenantTests
{
    [Fact]
    public void Create_ValidDetails_IsActiveWithTrimmedDetails()
    {
        var details = Given.ValidDetails() with { Name = "  Acme Corp ", ContactName = " Ada Lovelace " };

        var tenant = Tenant.Create(details, Given.Now);

        Assert.NotEqual(Guid.Empty, tenant.Id);
        Assert.Equal(TenantStatus.Active, tenant.Status);
        Assert.False(tenant.IsSuspended);
        Assert.Equal(Given.Now, tenant.CreatedAt);
        Assert.Equal(Given.ValidDetails(), tenant.ToDetails());
    }

    [Fact]
    public void Create_TwoTenants_GetDifferentIds()
    {
        Assert.NotEqual(Tenant.Create(Given.ValidDetails(), Given.Now).Id, Tenant.Create(Given.ValidDetails(), Given.Now).Id);
    }

    [Fact]
    public void Create_InvalidDetails_ThrowsWithEveryMessage()
    {
        var details = Given.ValidDetails() with { Name = "", MaxConcurrentReplications = 0 };

        var error = Assert.Throws<DomainException>(() => Tenant.Create(details, Given.Now));

        Assert.Contains("Enter the tenant's name.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concurrent replications must be between 1 and 100.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ValidDetails_ReplacesThem()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);
        var changed = new TenantDetails("Acme Holding", "acme-holding", "Grace Hopper", "grace@acme.example", "Europe/Amsterdam", 10, 250);

        tenant.Update(changed);

        Assert.Equal(changed, tenant.ToDetails());
    }

    [Fact]
    public void Update_InvalidDetails_ThrowsAndKeepsTheOldDetails()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);

        Assert.Throws<DomainException>(() => tenant.Update(Given.ValidDetails() with { Name = "Renamed", Slug = "Not A Slug" }));

        Assert.Equal(Given.ValidDetails(), tenant.ToDetails());
    }

    [Fact]
    public void Suspend_ActiveTenant_RecordsReasonAndTime()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);

        tenant.Suspend("  Unpaid invoices ", Given.Now.AddDays(1));

        Assert.True(tenant.IsSuspended);
        Assert.Equal(TenantStatus.Suspended, tenant.Status);
        Assert.Equal("Unpaid invoices", tenant.SuspensionReason);
        Assert.Equal(Given.Now.AddDays(1), tenant.SuspendedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Suspend_WithoutReason_IsRefused(string reason)
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);

        var error = Assert.Throws<DomainException>(() => tenant.Suspend(reason, Given.Now));

        Assert.StartsWith("Give a reason for the suspension", error.Message, StringComparison.Ordinal);
        Assert.False(tenant.IsSuspended);
    }

    [Fact]
    public void Suspend_AlreadySuspended_IsRefusedAndKeepsFirstReason()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);
        tenant.Suspend("Unpaid invoices", Given.Now);

        var error = Assert.Throws<DomainException>(() => tenant.Suspend("Abuse", Given.Now.AddHours(1)));

        Assert.Equal("Acme Corp is already suspended.", error.Message);
        Assert.Equal("Unpaid invoices", tenant.SuspensionReason);
        Assert.Equal(Given.Now, tenant.SuspendedAt);
    }

    [Fact]
    public void Reactivate_SuspendedTenant_ClearsTheSuspension()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);
        tenant.Suspend("Unpaid invoices", Given.Now);

        tenant.Reactivate();

        Assert.Equal(TenantStatus.Active, tenant.Status);
        Assert.Null(tenant.SuspensionReason);
        Assert.Null(tenant.SuspendedAt);
    }

    [Fact]
    public void Reactivate_ActiveTenant_IsRefused()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);

        var error = Assert.Throws<DomainException>(tenant.Reactivate);

        Assert.Equal("Acme Corp is not suspended.", error.Message);
    }

    [Fact]
    public void Suspend_ReasonOver500Characters_IsRefusedAndNothingChanges()
    {
        var tenant = Tenant.Create(Given.ValidDetails(), Given.Now);

        var error = Assert.Throws<DomainException>(() => tenant.Suspend(new string('r', 501), Given.Now));

        Assert.Equal("The reason can be at most 500 characters.", error.Message);
        Assert.False(tenant.IsSuspended);
    }
}
