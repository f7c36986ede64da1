using System.Security.Claims;
using Bunit;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Web.Components.Layout;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Layout;

public sealed class NavMenuTests : BunitContext
{
    private static readonly Claim TenantClaim = new(TenantScope.TenantClaimType, Guid.NewGuid().ToString());

    private readonly Bunit.TestDoubles.BunitAuthorizationContext _authorization;

    public NavMenuTests() => _authorization = this.AddPortalComponents();

    [Fact]
    public void Render_ProviderAdmin_ShowsTenantsAndAuditNotMembers() =>
        Assert.Equal(["Home", "Tenants", "Tenant environments", "Destinations", "Replication", "Cutover windows", "Device orders", "Device catalog", "Audit log", "My account"], LinksFor(PortalRoles.ProviderAdmin));

    [Fact]
    public void Render_ProviderOperator_ShowsNoTenantsMembersOrAudit() =>
        Assert.Equal(["Home", "Tenant environments", "Destinations", "Replication", "Cutover windows", "Device orders", "Device catalog", "My account"], LinksFor(PortalRoles.ProviderOperator));

    [Fact]
    public void Render_TenantAdminWithTenantClaim_ShowsEnvironmentsMembersAndAuditNotTenants() =>
        Assert.Equal(["Home", "Environments", "Assessments", "Migration plans", "Cutover windows", "Seed devices", "Workers", "Members", "Audit log", "My account"], LinksFor(PortalRoles.TenantAdmin, TenantClaim));

    [Fact]
    public void Render_TenantAdminWithoutTenantClaim_ShowsNoMembersNorAudit() =>
        Assert.Equal(["Home", "My account"], LinksFor(PortalRoles.TenantAdmin));

    [Fact]
    public void Render_TenantMember_ShowsEnvironmentsButNotMembersOrAudit() =>
        Assert.Equal(["Home", "Environments", "Assessments", "Migration plans", "Cutover windows", "Seed devices", "Workers", "My account"], LinksFor(PortalRoles.TenantMember, TenantClaim));

    [Fact]
    public void Render_Anonymous_ShowsNoLinks() =>
        Assert.Empty(Render<NavMenu>().FindAll("a"));

    private string[] LinksFor(string role, params Claim[] claims)
    {
        _authorization.SetAuthorized("someone@example.test");
        _authorization.SetRoles(role);
        _authorization.SetClaims(claims);
        var menu = Render<NavMenu>();
        return menu.FindAll("a").Select(a => a.TextContent.Trim()).ToArray();
    }
}
