using System.Text.RegularExpressions;
using ProviderPortal.Domain;
using ProviderPortal.Web.Infrastructure.Identity;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Infrastructure.Identity;

/// <summary>The rule of who may do what to a plan, as the README states it to users, is the one the code enforces.</summary>
public sealed class PlanPermissionsTests
{
    private static readonly string[] Columns = [PortalRoles.TenantMember, PortalRoles.TenantAdmin, PortalRoles.ProviderOperator, PortalRoles.ProviderAdmin];

    [Fact]
    public void Roles_AsTheReadmeStatesThem_EqualTheRule()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var rows = readme.Select(line => Regex.Match(line, @"^\|[^|]*\(`(?<action>\w+)`\)\s*\|(?<cells>.*)\|\s*$")).Where(m => m.Success).ToList();

        Assert.Equal(Enum.GetValues<PlanAction>().Order(), rows.Select(m => Enum.Parse<PlanAction>(m.Groups["action"].Value)).Order());
        foreach (var row in rows)
        {
            var action = Enum.Parse<PlanAction>(row.Groups["action"].Value);
            var cells = row.Groups["cells"].Value.Split('|').Select(c => c.Trim()).ToList();
            Assert.Equal(Columns.Length, cells.Count);
            var stated = Columns.Where((_, i) => cells[i] != "no").Order();
            Assert.Equal(PlanPermissions.Roles[action].Order(), stated);
        }
    }

    [Theory]
    [InlineData(PortalRoles.TenantMember, PlanAction.View, true)]
    [InlineData(PortalRoles.TenantMember, PlanAction.Prepare, true)]
    [InlineData(PortalRoles.TenantMember, PlanAction.Start, false)]
    [InlineData(PortalRoles.TenantMember, PlanAction.Control, false)]
    [InlineData(PortalRoles.TenantMember, PlanAction.Cutover, false)]
    [InlineData(PortalRoles.TenantMember, PlanAction.Cancel, false)]
    [InlineData(PortalRoles.TenantAdmin, PlanAction.Start, true)]
    [InlineData(PortalRoles.TenantAdmin, PlanAction.Cutover, true)]
    [InlineData(PortalRoles.ProviderOperator, PlanAction.View, true)]
    [InlineData(PortalRoles.ProviderOperator, PlanAction.Prepare, false)]
    [InlineData(PortalRoles.ProviderOperator, PlanAction.Start, false)]
    [InlineData(PortalRoles.ProviderOperator, PlanAction.Cutover, true)]
    [InlineData(PortalRoles.ProviderOperator, PlanAction.Cancel, false)]
    [InlineData(PortalRoles.ProviderAdmin, PlanAction.Cancel, true)]
    public void Allows_ByRole(string role, PlanAction action, bool allowed)
    {
        var user = TestUsers.Principal($"{role}@example", role, PortalRoles.IsTenantRole(role) ? Guid.NewGuid() : null);

        Assert.Equal(allowed, PlanPermissions.Allows(user, action));
    }

    [Fact]
    public void Allows_TenantAdminWithoutATenant_Refused() =>
        Assert.False(PlanPermissions.Allows(TestUsers.Principal("lost@example", PortalRoles.TenantAdmin), PlanAction.Start));

    [Fact]
    public void Refusal_SaysWhoMayInstead() =>
        Assert.Equal("Only your organisation's administrators and the provider's staff can start a cutover.", PlanPermissions.Refusal(PlanAction.Cutover));
}
