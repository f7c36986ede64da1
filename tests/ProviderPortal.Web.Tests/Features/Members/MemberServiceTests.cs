using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Domain;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Members;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Members;

/// <summary>A tenant administrator's invitations, through the service the members page calls, as that administrator.</summary>
public sealed class MemberServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private Task<ServiceResult> InviteAsync(TestTenant tenant, string email) =>
        factory.AsUserAsync(TestUsers.AdminOf(tenant), services => services.GetRequiredService<MemberService>().InviteAsync(email, PortalRoles.TenantMember, "http://localhost/"));

    private Task<(IReadOnlyList<MemberRow> Members, IReadOnlyList<InvitationRow> Invitations)> ListAsync(TestTenant tenant) =>
        factory.AsUserAsync(TestUsers.AdminOf(tenant), async services =>
        {
            var members = services.GetRequiredService<MemberService>();
            return (await members.ListMembersAsync(), await members.ListInvitationsAsync());
        });

    [Fact]
    public async Task InviteAsync_AddressWithAnAccountInAnotherTenant_AnsweredAsANewAddressAndItsOwnerTold()
    {
        var inviter = await factory.CreateTenantAsync("inviter");
        var other = await factory.CreateTenantAsync("other-org");
        var taken = other.Member.Email!;
        const string fresh = "newcomer@inviter-guest.example";

        var toTaken = await InviteAsync(inviter, taken);
        var toFresh = await InviteAsync(inviter, fresh);
        var (members, invitations) = await ListAsync(inviter);
        var againToTaken = await InviteAsync(inviter, taken);
        var againToFresh = await InviteAsync(inviter, fresh);

        Assert.True(toTaken.Succeeded, toTaken.Message);
        Assert.True(toFresh.Succeeded, toFresh.Message);
        Assert.DoesNotContain(members, m => m.Email == taken || m.Email == fresh);
        var pendingToTaken = Assert.Single(invitations, i => i.Email == taken);
        var pendingToFresh = Assert.Single(invitations, i => i.Email == fresh);
        Assert.Equal((pendingToFresh.Role, pendingToFresh.Status, pendingToFresh.InvitedBy), (pendingToTaken.Role, pendingToTaken.Status, pendingToTaken.InvitedBy));
        Assert.Equal(againToFresh.Message.Replace(fresh, "(address)", StringComparison.Ordinal), againToTaken.Message.Replace(taken, "(address)", StringComparison.Ordinal));
        Assert.DoesNotContain("account", againToTaken.Message, StringComparison.OrdinalIgnoreCase);

        var notice = await factory.SingleEmailAsync(taken, inviter.Name);
        Assert.Contains("already has an account", notice.TextBody);
        Assert.Contains("one organisation", notice.TextBody);
        Assert.DoesNotContain("AcceptInvitation", notice.TextBody);
        Assert.DoesNotContain("AcceptInvitation", notice.HtmlBody);
        Assert.Contains("/Account/AcceptInvitation?token=", (await factory.SingleEmailAsync(fresh, inviter.Name)).TextBody);
        Assert.Equal(other.Id, (await factory.FindUserAsync(taken))!.TenantId);
    }

    [Fact]
    public async Task InviteAsync_AddressAlreadyAMember_NamedAsOneOfTheOrganisation()
    {
        var tenant = await factory.CreateTenantAsync("own-member");

        var result = await InviteAsync(tenant, tenant.Member.Email!);

        Assert.False(result.Succeeded);
        Assert.Equal($"{tenant.Member.Email} is already a member of {tenant.Name}.", result.Errors["Email"]);
        Assert.Empty((await ListAsync(tenant)).Invitations);
    }
}
