using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Web.Features.Members;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Account.Pages;

public sealed class AcceptInvitationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string InviteePassword = "Invitee-Passw0rd-9";

    /// <summary>Invites through the members service as the tenant's administrator and returns the link's token.</summary>
    private async Task<string> InviteAsync(TestTenant tenant, string email, string role)
    {
        var result = await factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            return await services.GetRequiredService<MemberService>().InviteAsync(email, role, "http://localhost/");
        });
        Assert.True(result.Succeeded, result.Message);
        var message = await factory.SingleEmailAsync(email, "You are invited");
        var link = PortalTestData.LinkTo(message.TextBody, "/Account/AcceptInvitation");
        return Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
    }

    private async Task<HttpResponseMessage> AcceptAsync(HttpClient browser, string token, string password) =>
        await PortalFactory.PostFormAsync(browser, $"/Account/AcceptInvitation?token={Uri.EscapeDataString(token)}", "accept-invitation", new()
        {
            ["Input.Token"] = token,
            ["Input.DisplayName"] = "Ines Invitee",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private Task<InvitationStatus> StatusOfAsync(string email) => factory.AsSystemAsync(services =>
        services.GetRequiredService<PortalDbContext>().Invitations.Where(i => i.Email == email).Select(i => i.Status).SingleAsync());

    [Fact]
    public async Task AcceptInvitation_ValidToken_CreatesAccountInTenantWithInvitedRole()
    {
        var tenant = await factory.CreateTenantAsync("inv-ok");
        var email = "ines@inv-ok.example";
        var token = await InviteAsync(tenant, email, PortalRoles.TenantAdmin);
        var browser = factory.CreateBrowser();

        var page = await browser.GetStringAsync($"/Account/AcceptInvitation?token={Uri.EscapeDataString(token)}");
        var accepted = await AcceptAsync(browser, token, InviteePassword);

        Assert.Contains(tenant.Name, page);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var user = await factory.FindUserAsync(email);
        Assert.NotNull(user);
        Assert.Equal(tenant.Id, user.TenantId);
        Assert.Equal("Ines Invitee", user.DisplayName);
        var roles = await factory.AsSystemAsync(services => services.GetRequiredService<UserManager<PortalUser>>().GetRolesAsync(user));
        Assert.Equal([PortalRoles.TenantAdmin], roles);
        Assert.Equal(InvitationStatus.Accepted, await StatusOfAsync(email));
        await factory.SignInAsync(email, InviteePassword);
    }

    [Fact]
    public async Task AcceptInvitation_UsedTwice_SecondShowsAlreadyAccepted()
    {
        var tenant = await factory.CreateTenantAsync("inv-twice");
        var token = await InviteAsync(tenant, "twice@inv-twice.example", PortalRoles.TenantMember);
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(factory.CreateBrowser(), token, InviteePassword)).StatusCode);

        var again = await factory.CreateBrowser().GetStringAsync($"/Account/AcceptInvitation?token={Uri.EscapeDataString(token)}");

        Assert.Contains("already been accepted", again);
    }

    [Fact]
    public async Task AcceptInvitation_WeakPassword_ShowsRuleAndCreatesNothing()
    {
        var tenant = await factory.CreateTenantAsync("inv-weak");
        var email = "weak@inv-weak.example";
        var token = await InviteAsync(tenant, email, PortalRoles.TenantMember);

        var response = await AcceptAsync(factory.CreateBrowser(), token, "abcdefghijkl");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Passwords must have at least one digit", html);
        Assert.Null(await factory.FindUserAsync(email));
        Assert.Equal(InvitationStatus.Pending, await StatusOfAsync(email));
    }

    [Fact]
    public async Task AcceptInvitation_Expired_SaysExpiredAndCreatesNothing()
    {
        var tenant = await factory.CreateTenantAsync("inv-expired");
        var email = "late@inv-expired.example";
        var token = InvitationToken.Create();
        var longAgo = DateTimeOffset.UtcNow.AddDays(-10);
        await factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id);
            var db = services.GetRequiredService<PortalDbContext>();
            db.Invitations.Add(Invitation.Create(tenant.Id, email, PortalRoles.TenantMember, InvitationToken.Hash(token), "test", longAgo, TimeSpan.FromDays(7)));
            return await db.SaveChangesAsync();
        });
        var browser = factory.CreateBrowser();

        var page = await browser.GetStringAsync($"/Account/AcceptInvitation?token={Uri.EscapeDataString(token)}");
        var post = await browser.PostAsync($"/Account/AcceptInvitation?token={Uri.EscapeDataString(token)}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "accept-invitation",
            ["__RequestVerificationToken"] = PortalFactory.AntiforgeryToken(await browser.GetStringAsync("/Account/Login")),
            ["Input.Token"] = token,
            ["Input.DisplayName"] = "Late Comer",
            ["Input.Password"] = InviteePassword,
            ["Input.ConfirmPassword"] = InviteePassword,
        }));

        Assert.Contains("This invitation has expired", page);
        Assert.DoesNotContain("Create my account", page);
        // The page renders no form for a closed invitation, so a forced post is refused outright.
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Null(await factory.FindUserAsync(email));
    }

    [Fact]
    public async Task AcceptInvitation_UnknownToken_SaysNotValid()
    {
        var page = await factory.CreateBrowser().GetStringAsync("/Account/AcceptInvitation?token=" + InvitationToken.Create());

        Assert.Contains("This invitation link is not valid", page);
        Assert.DoesNotContain("Create my account", page);
    }
}
