using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Web.Features.Audit;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Members;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Infrastructure.Identity;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Infrastructure.Tenancy;

/// <summary>
/// Tenant A's users, on every page and through the services, never see or touch tenant B.
/// The two tenants are created once for the class.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.TwoTenants tenants) : IClassFixture<TenantIsolationTests.TwoTenants>
{
    private const string BInviteeEmail = "invitee-zz91@bravo-zz91.example";
    private const string BEnvironmentName = "bravo-vcenter-zz91";
    private const string BEndpointHost = "vcenter.bravo-zz91.example";
    private const string BVmName = "bravo-vm-zz91";
    private const string BSecret = "bravo-Secret-zz91";
    private const string BAssessmentName = "bravo-assessment-zz91";
    private const string BPlanName = "bravo-plan-zz91";
    private const string BTokenName = "bravo-token-zz91";
    private const string BNoticeTitle = "bravo-notice-zz91";
    private const string BStaffNoticeTitle = "bravo-staff-notice-zz91";
    private const string BRecipient = "bravo-recipient-zz91";
    private const string BTracking = "BRAVO-TRACK-zz91";

    public sealed class TwoTenants : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant A { get; private set; } = default!;

        public TestTenant B { get; private set; } = default!;

        public Guid BInvitationId { get; private set; }

        public Guid BEnvironmentId { get; private set; }

        public Guid BAssessmentId { get; private set; }

        public Guid BTokenId { get; private set; }

        public string BTokenHint { get; private set; } = "";

        public Guid BPlanId { get; private set; }

        public Guid BWindowId { get; private set; }
        public Guid BOrderId { get; private set; }

        public async Task InitializeAsync()
        {
            A = await Factory.CreateTenantAsync("alpha-yy42");
            B = await Factory.CreateTenantAsync("bravo-zz91");
            var b = B;
            BInvitationId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(b.Id, b.Admin.Email!, b.Admin.Id);
                var invited = await services.GetRequiredService<MemberService>().InviteAsync(BInviteeEmail, PortalRoles.TenantMember, "http://localhost/");
                Assert.True(invited.Succeeded, invited.Message);
                return await services.GetRequiredService<PortalDbContext>().Invitations.Where(i => i.Email == BInviteeEmail).Select(i => i.Id).SingleAsync();
            });
            BEnvironmentId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(b.Id, b.Admin.Email!, b.Admin.Id);
                var draft = new EnvironmentDraft { Name = BEnvironmentName, Kind = EnvironmentKind.VCenter, Endpoint = $"https://{BEndpointHost}", UserName = "svc@bravo-zz91.example", Secret = BSecret };
                var (registered, id) = await services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true);
                Assert.True(registered.Succeeded, registered.Message);
                var environment = await services.GetRequiredService<PortalDbContext>().Environments.SingleAsync(e => e.Id == id);
                var vm = new SourceVm { Id = "vm-zz91", Name = BVmName, Disks = [new SourceDisk("2000", "Hard disk 1", 1L << 30, null, ChangeTrackingState.Enabled, "[ds] bravo/disk.vmdk")] };
                await services.GetRequiredService<InventorySync>().ApplyAsync(environment, [vm], CancellationToken.None);
                return id!.Value;
            });
            var environmentId = BEnvironmentId;
            BAssessmentId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(b.Id, b.Admin.Email!, b.Admin.Id);
                var db = services.GetRequiredService<PortalDbContext>();
                var assessment = Domain.Assessments.Assessment.Start(environmentId, BAssessmentName, [new Domain.Assessments.AssessmentVm("vm-zz91", BVmName)], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
                db.Assessments.Add(assessment);
                await db.SaveChangesAsync();
                return assessment.Id;
            });
            var (created, secret) = await Factory.AsUserAsync(TestUsers.AdminOf(b), services => services.GetRequiredService<Web.Features.Workers.WorkerTokenService>().CreateAsync(BTokenName));
            Assert.True(created.Succeeded, created.Message);
            (BTokenId, BTokenHint) = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().WorkerTokens
                .Where(t => t.Name == BTokenName).Select(t => new ValueTuple<Guid, string>(t.Id, t.Hint)).SingleAsync());
            Assert.StartsWith(BTokenHint, secret);
            BPlanId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(b.Id, b.Admin.Email!, b.Admin.Id);
                var db = services.GetRequiredService<PortalDbContext>();
                var plan = Domain.Plans.MigrationPlan.Create(environmentId, new Domain.Plans.PlanDetails(BPlanName, [new Domain.Plans.PlanVm("vm-zz91", BVmName, 1)], Domain.Plans.PlanMethod.Network, false, false, 15, null), DateTimeOffset.UtcNow);
                db.MigrationPlans.Add(plan);
                await db.SaveChangesAsync();
                return plan.Id;
            });

            // A cutover window of B's plan, three days ahead: on A's calendar it may only make an hour look busier.
            var planId = BPlanId;
            var booked = await Factory.AsUserAsync(TestUsers.MemberOf(b), services =>
                services.GetRequiredService<Web.Features.Windows.WindowService>().RequestAsync(planId, DateTime.UtcNow.Date.AddDays(3).AddHours(12), TimeSpan.FromHours(1)));
            Assert.True(booked.Succeeded, booked.Message);
            BWindowId = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().MaintenanceWindows.Where(w => w.PlanId == planId).Select(w => w.Id).SingleAsync());
            var address = new Domain.SeedDevices.ShippingAddress(BRecipient, null, "1 Bravo Street", null, "10115", "Berlin", "DE", "Bravo Contact", "ops@bravo-zz91.example", "+49 30 1234567");
            var model = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().SeedDeviceModels.Where(m => !m.Retired).Select(m => m.Id).FirstAsync());
            var (ordered, orderId) = await Factory.AsUserAsync(TestUsers.MemberOf(b), services => services.GetRequiredService<SeedDeviceOrderService>().PlaceAsync(planId, model, address));
            Assert.True(ordered.Succeeded, ordered.Message);
            BOrderId = orderId!.Value;
            Assert.True((await Factory.AsUserAsync(TestUsers.ProviderOperator, services => services.GetRequiredService<SeedDeviceOrderService>().ApproveAsync(orderId.Value))).Succeeded);
            Assert.True((await Factory.AsUserAsync(TestUsers.ProviderOperator, services => services.GetRequiredService<SeedDeviceOrderService>().ShipAsync(orderId.Value, "DHL", BTracking))).Succeeded);
            await NotifyBAsync();
        }

        public Guid BNoticeId { get; private set; }

        private async Task NotifyBAsync()
        {
            var b = B;
            BNoticeId = await Factory.AsSystemAsync(async services =>
            {
                services.GetRequiredService<TenantScope>().UseTenant(b.Id, b.Admin.Email!, b.Admin.Id);
                var notifier = services.GetRequiredService<INotifier>();
                await notifier.NotifyTenantAdminsAsync(b.Id, NotificationKind.WindowApproved, _ => new NotificationText(BNoticeTitle, $"{BNoticeTitle} body", "/windows"));
                await notifier.NotifyStaffAsync(NotificationKind.WindowRequested, _ => new NotificationText(BStaffNoticeTitle, $"{BStaffNoticeTitle} body", "/windows"));
                var db = services.GetRequiredService<PortalDbContext>();
                await db.SaveChangesAsync();
                return await db.Notifications.Where(n => n.Title == BNoticeTitle).Select(n => n.Id).SingleAsync();
            });
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private PortalFactory Factory => tenants.Factory;

    private TestTenant A => tenants.A;

    private TestTenant B => tenants.B;

    private string[] BMarkers =>
    [
        B.Name, B.Slug, B.Admin.Email!, B.Member.Email!, BInviteeEmail,
        B.Id.ToString(), B.Admin.Id, B.Member.Id, tenants.BInvitationId.ToString(),
        BEnvironmentName, BEndpointHost, BVmName, BSecret, tenants.BEnvironmentId.ToString(),
        BAssessmentName, tenants.BAssessmentId.ToString(), BPlanName, tenants.BPlanId.ToString(),
        BTokenName, tenants.BTokenHint, tenants.BTokenId.ToString(), tenants.BWindowId.ToString(),
        BNoticeTitle, BStaffNoticeTitle, tenants.BNoticeId.ToString(),
        BTokenName, tenants.BTokenHint, tenants.BTokenId.ToString(),
        BRecipient, BTracking, tenants.BOrderId.ToString(), "ops@bravo-zz91.example",

        // Not B's, but the provider's infrastructure: where the first-run destination keeps disks is never shown to tenants.
        Path.Combine(Factory.DataDirectory, "destinations"),
    ];

    /// <summary>Every routable component of the portal, with route parameters filled in with B's ids.</summary>
    public static TheoryData<string> AllPageRoutes() => new(PageRoutes());

    private static IEnumerable<string> PageRoutes() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Append("/health")
            .Distinct()
            .Order(StringComparer.Ordinal);

    private string Fill(string template) =>
        Regex.Replace(template, @"\{\*{0,2}(?<name>[^}:?]+)(?<constraint>:[^}?]+)?\??\}", m =>
            m.Groups["constraint"].Value.Contains("guid", StringComparison.OrdinalIgnoreCase)
                ? GuidFor(m.Groups["name"].Value).ToString()
                : m.Groups["constraint"].Value.Contains("int", StringComparison.OrdinalIgnoreCase) ? "1" : B.Member.Id);

    private Guid GuidFor(string parameter) =>
        parameter.Contains("invitation", StringComparison.OrdinalIgnoreCase) ? tenants.BInvitationId
        : parameter.Contains("environment", StringComparison.OrdinalIgnoreCase) ? tenants.BEnvironmentId
        : parameter.Contains("assessment", StringComparison.OrdinalIgnoreCase) ? tenants.BAssessmentId
        : parameter.Contains("plan", StringComparison.OrdinalIgnoreCase) ? tenants.BPlanId
        : parameter.Contains("order", StringComparison.OrdinalIgnoreCase) ? tenants.BOrderId
        : B.Id;

    [Fact]
    public void AllPageRoutes_PortalAssembly_FindsTheKnownPages()
    {
        var routes = PageRoutes().ToList();

        Assert.Contains("/", routes);
        Assert.Contains("/tenant/members", routes);
        Assert.Contains("/provider/tenants", routes);
        Assert.Contains("/audit", routes);
        Assert.Contains("/Account/Manage", routes);
        Assert.Contains("/environments", routes);
        Assert.Contains("/environments/{EnvironmentId:guid}/inventory", routes);
        Assert.Contains("/assessments", routes);
        Assert.Contains("/assessments/{AssessmentId:guid}", routes);
        Assert.Contains("/plans", routes);
        Assert.Contains("/workers", routes);
        Assert.Contains("/provider/destinations", routes);
        Assert.Contains("/provider/destinations", ((IEnumerable<object[]>)ProviderOnlyRoutes()).Select(r => (string)r[0]));
        Assert.Contains("/plans/{PlanId:guid}", routes);
        Assert.Contains("/provider/replication", routes);
        Assert.Contains("/windows", routes);
        Assert.Contains("/provider/windows", ((IEnumerable<object[]>)ProviderOnlyRoutes()).Select(r => (string)r[0]));
        Assert.Contains("/notifications", routes);
        Assert.Contains("/seed-devices", routes);
        Assert.Contains("/plans/{PlanId:guid}/seed-devices", routes);
        Assert.Contains("/provider/seed-devices", ((IEnumerable<object[]>)ProviderOnlyRoutes()).Select(r => (string)r[0]));
        Assert.Contains("/provider/seed-devices/orders", ((IEnumerable<object[]>)ProviderOnlyRoutes()).Select(r => (string)r[0]));
    }

    [Fact]
    public async Task Get_SeedDevicesAsTenantBMember_ShowsItsOrderAndTracking()
    {
        // Non-vacuous: B's own member sees the order the markers above look for (and never its key).
        var browser = await Factory.SignInAsync(B.Member.Email!);

        var html = await browser.GetStringAsync("/seed-devices");

        Assert.Contains(BRecipient, html);
        Assert.Contains(BTracking, html);
        var protectedKey = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().SeedDeviceOrders
            .Where(o => o.Id == tenants.BOrderId).Select(o => o.ProtectedKey).SingleAsync());
        Assert.DoesNotContain(protectedKey!, html);
    }

    [Fact]
    public async Task Get_DeviceOrdersBoardAsProviderOperator_ShowsTenantBsOrder()
    {
        var browser = await Factory.SignInAsync("operator@provider.example");

        var html = await browser.GetStringAsync("/provider/seed-devices/orders");

        Assert.Contains(B.Name, html);
        Assert.Contains(BTracking, html);
    }

    [Fact]
    public async Task SeedDeviceOrderService_OtherTenantsOrder_DoesNotExistAndUntouched()
    {
        var (cancel, ship, listed, quote) = await Factory.AsUserAsync(TestUsers.AdminOf(A), async services =>
        {
            var service = services.GetRequiredService<SeedDeviceOrderService>();
            return (await service.CancelAsync(tenants.BOrderId, "guessing"), await service.ShipBackAsync(tenants.BOrderId, "UPS", "1"),
                (await service.ListForTenantAsync()).Any(o => o.Id == tenants.BOrderId), await service.QuoteAsync(tenants.BPlanId));
        });

        Assert.Equal(SeedDeviceOrderService.NotFoundMessage, cancel.Message);
        Assert.Equal(SeedDeviceOrderService.NotFoundMessage, ship.Message);
        Assert.False(listed);
        Assert.Null(quote);
        var status = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().SeedDeviceOrders
            .Where(o => o.Id == tenants.BOrderId).Select(o => o.Status).SingleAsync());
        Assert.Equal(Domain.SeedDevices.SeedDeviceOrderStatus.Shipped, status);
    }

    [Theory]
    [MemberData(nameof(AllPageRoutes))]
    public async Task Get_EveryPageAsTenantAUsers_NoErrorAndNothingOfTenantB(string route)
    {
        var url = Fill(route);
        foreach (var email in new[] { A.Admin.Email!, A.Member.Email! })
        {
            var browser = await Factory.SignInAsync(email);

            var response = await browser.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{url} as {email}: 500");
            foreach (var marker in BMarkers)
            {
                Assert.False(body.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{url} as {email} shows tenant B's \"{marker}\".");
            }
        }
    }

    [Fact]
    public async Task Get_ProviderTenantsAsProviderAdmin_ShowsTenantB()
    {
        // The markers are visible where they should be: the isolation test above is not vacuous.
        var browser = await Factory.SignInAsync("admin@provider.example");

        var html = await browser.GetStringAsync("/provider/tenants");

        Assert.Contains(B.Name, html);
        Assert.Contains(A.Name, html);
    }

    [Fact]
    public async Task Get_PlanPageAsTenantBMember_ShowsItsPlan()
    {
        // The plan page's walk above is not vacuous: B's own member sees the name A must not.
        var browser = await Factory.SignInAsync(B.Member.Email!);

        var html = await browser.GetStringAsync($"/plans/{tenants.BPlanId}");

        Assert.Contains(BPlanName, html);
    }

    [Fact]
    public async Task Get_NotificationsAsTenantBAdminAndStaff_ShowTheirOwn()
    {
        // The notifications page's walk above is not vacuous: B's admin and staff see what A must not.
        var admin = await (await Factory.SignInAsync(B.Admin.Email!)).GetStringAsync("/notifications");
        var staff = await (await Factory.SignInAsync("operator@provider.example")).GetStringAsync("/notifications");

        Assert.Contains(BNoticeTitle, admin);
        Assert.DoesNotContain(BStaffNoticeTitle, admin);
        Assert.Contains(BStaffNoticeTitle, staff);
        Assert.DoesNotContain(BNoticeTitle, staff);
    }

    [Fact]
    public async Task Get_MembersAsTenantAAdmin_ShowsOwnMembersOnly()
    {
        var browser = await Factory.SignInAsync(A.Admin.Email!);

        var html = await browser.GetStringAsync("/tenant/members");

        Assert.Contains(A.Member.Email!, html);
        Assert.DoesNotContain(B.Member.Email!, html);
    }

    public static TheoryData<string> ProviderOnlyRoutes() => new(
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t)
                && t.GetCustomAttributes<AuthorizeAttribute>().Any(a => a.Policy is Policies.ProviderAdmin or Policies.ProviderStaff))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Where(t => !t.Contains('{', StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(ProviderOnlyRoutes))]
    public async Task Get_ProviderOnlyPageAsTenantUsers_SaysNoAccess(string route)
    {
        foreach (var email in new[] { A.Admin.Email!, A.Member.Email! })
        {
            var browser = await Factory.SignInAsync(email);

            var response = await browser.GetAsync(route);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString);
                response = await browser.GetAsync(response.Headers.Location);
            }

            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("do not have access", html);
            Assert.DoesNotContain(B.Name, html);
            Assert.DoesNotContain("contact@alpha-yy42.example", html);
        }
    }

    private Task<T> AsTenantAAdminAsync<T>(Func<IServiceProvider, Task<T>> work) => Factory.AsSystemAsync(services =>
    {
        services.GetRequiredService<TenantScope>().UseTenant(A.Id, A.Admin.Email!, A.Admin.Id);
        return work(services);
    });

    private Task<(bool Exists, IList<string> Roles)> BMemberAsync() => Factory.AsSystemAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(B.Member.Id);
        return (user is not null, user is null ? [] : await users.GetRolesAsync(user));
    });

    [Fact]
    public async Task RemoveAsync_OtherTenantsUser_NotFoundAndUserKept()
    {
        var result = await AsTenantAAdminAsync(services => services.GetRequiredService<MemberService>().RemoveAsync(B.Member.Id));

        Assert.False(result.Succeeded);
        Assert.Contains("not a member of your organisation", result.Message);
        Assert.True((await BMemberAsync()).Exists);
    }

    [Fact]
    public async Task ChangeRoleAsync_OtherTenantsUser_NotFoundAndRoleKept()
    {
        var result = await AsTenantAAdminAsync(services => services.GetRequiredService<MemberService>().ChangeRoleAsync(B.Member.Id, PortalRoles.TenantAdmin));

        Assert.False(result.Succeeded);
        Assert.Contains("not a member of your organisation", result.Message);
        Assert.Equal([PortalRoles.TenantMember], (await BMemberAsync()).Roles);
    }

    [Fact]
    public async Task RevokeInvitationAsync_OtherTenantsInvitation_NotFoundAndStillPending()
    {
        var result = await AsTenantAAdminAsync(services => services.GetRequiredService<MemberService>().RevokeInvitationAsync(tenants.BInvitationId));
        var status = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Invitations.AsNoTracking()
            .Where(i => i.Id == tenants.BInvitationId).Select(i => i.Status).SingleAsync());

        Assert.False(result.Succeeded);
        Assert.Contains("does not exist", result.Message);
        Assert.Equal(InvitationStatus.Pending, status);
    }

    [Fact]
    public async Task ListAsync_TenantAScope_NoTenantBMembersOrInvitations()
    {
        var (members, invitations) = await AsTenantAAdminAsync(async services =>
        {
            var service = services.GetRequiredService<MemberService>();
            return (await service.ListMembersAsync(), await service.ListInvitationsAsync());
        });

        Assert.Contains(members, m => m.Id == A.Member.Id);
        Assert.DoesNotContain(members, m => m.Id == B.Member.Id || m.Id == B.Admin.Id);
        Assert.DoesNotContain(invitations, i => i.Id == tenants.BInvitationId);
    }

    [Fact]
    public async Task QueryAsync_TenantAScopeAskingForTenantB_ReturnsNothingOfB()
    {
        var asSystem = await Factory.AsSystemAsync(services => services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(TenantId: B.Id, PageSize: 200)));
        var askedForB = await AsTenantAAdminAsync(services => services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(TenantId: B.Id, PageSize: 200)));
        var everything = await AsTenantAAdminAsync(services => services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(PageSize: 200)));

        Assert.NotEqual(0, asSystem.Total);
        Assert.Equal(0, askedForB.Total);
        Assert.Empty(askedForB.Rows);
        Assert.NotEmpty(everything.Rows);
        Assert.DoesNotContain(everything.Rows, r => r.TenantName == B.Name || BMarkers.Any(m => r.EntityId == m || r.Changes.Any(c => c.Contains(m, StringComparison.OrdinalIgnoreCase))));
    }

    [Fact]
    public async Task EnvironmentService_OtherTenantsEnvironment_NotFoundAndUntouched()
    {
        var (sync, retest, remove, row) = await AsTenantAAdminAsync(async services =>
        {
            var service = services.GetRequiredService<EnvironmentService>();
            return (await service.SyncNowAsync(tenants.BEnvironmentId), await service.RetestAsync(tenants.BEnvironmentId),
                await service.RemoveAsync(tenants.BEnvironmentId), await service.GetAsync(tenants.BEnvironmentId));
        });

        Assert.All(new[] { sync, retest, remove }, r => Assert.Equal("That environment does not exist.", r.Message));
        Assert.Null(row);
        var stillThere = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Environments.AnyAsync(e => e.Id == tenants.BEnvironmentId));
        Assert.True(stillThere);
    }

    [Fact]
    public async Task InventoryService_OtherTenantsEnvironment_Empty()
    {
        var page = await AsTenantAAdminAsync(services => services.GetRequiredService<InventoryService>().QueryAsync(tenants.BEnvironmentId, new InventoryQuery()));

        Assert.Equal(0, page.TotalCount);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task Get_EnvironmentsAsTenantBAdmin_ShowsItsEnvironmentButNeverTheSecret()
    {
        // Non-vacuous: B's own admin sees the environment the markers above look for.
        var browser = await Factory.SignInAsync(B.Admin.Email!);

        var html = await browser.GetStringAsync("/environments");

        Assert.Contains(BEnvironmentName, html);
        Assert.DoesNotContain(BSecret, html);
    }

    [Fact]
    public async Task AssessmentServices_OtherTenantsAssessment_NotFoundAndStillObserving()
    {
        var (cancel, extend, report, csv) = await AsTenantAAdminAsync(async services =>
        {
            var service = services.GetRequiredService<Web.Features.Assessments.AssessmentService>();
            return (await service.CancelAsync(tenants.BAssessmentId), await service.ExtendAsync(tenants.BAssessmentId, TimeSpan.FromHours(1)),
                await services.GetRequiredService<Web.Features.Assessments.AssessmentReportService>().BuildAsync(tenants.BAssessmentId),
                (await services.GetRequiredService<Web.Features.Assessments.AssessmentService>().ListAsync()).Any(a => a.Id == tenants.BAssessmentId));
        });

        Assert.Equal("That assessment does not exist.", cancel.Message);
        Assert.Equal("That assessment does not exist.", extend.Message);
        Assert.Null(report);
        Assert.False(csv);
        var status = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Assessments.Where(a => a.Id == tenants.BAssessmentId).Select(a => a.Status).SingleAsync());
        Assert.Equal(Domain.Assessments.AssessmentStatus.Observing, status);
    }

    [Fact]
    public async Task Get_TenantEnvironmentsAsProviderOperator_HealthOfEveryTenantButNoAddressOrSecret()
    {
        var browser = await Factory.SignInAsync("operator@provider.example");

        var html = await browser.GetStringAsync("/provider/environments");

        Assert.Contains(BEnvironmentName, html);
        Assert.Contains(B.Name, html);
        Assert.DoesNotContain(BEndpointHost, html);
        Assert.DoesNotContain(BSecret, html);
        Assert.DoesNotContain("svc@bravo-zz91.example", html);
    }

    [Fact]
    public async Task Get_WorkersAsTenantBAdmin_ShowsItsTokenByHintOnly()
    {
        // Non-vacuous: B's own admin sees the token the markers above look for.
        var browser = await Factory.SignInAsync(B.Admin.Email!);

        var html = await browser.GetStringAsync("/workers");

        Assert.Contains(BTokenName, html);
        Assert.Contains(tenants.BTokenHint, html);
    }

    [Fact]
    public async Task WorkerTokenService_OtherTenantsToken_DoesNotExistAndStillActive()
    {
        var (revoke, listed) = await Factory.AsUserAsync(TestUsers.AdminOf(A), async services =>
        {
            var service = services.GetRequiredService<Web.Features.Workers.WorkerTokenService>();
            return (await service.RevokeAsync(tenants.BTokenId), (await service.ListAsync()).Tokens.Any(t => t.Id == tenants.BTokenId));
        });

        Assert.Equal("That token does not exist.", revoke.Message);
        Assert.False(listed);
        Assert.False(await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().WorkerTokens.Where(t => t.Id == tenants.BTokenId).Select(t => t.RevokedAt != null).SingleAsync()));
    }
}
