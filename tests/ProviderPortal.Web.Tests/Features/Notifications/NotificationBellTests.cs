using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Notifications;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Notifications;

/// <summary>The bell on a real SQLite database, as the tenant admin "viewer" sees it; the notifier writes as the portal does.</summary>
public sealed class NotificationBellTests : IAsyncLifetime
{
    private const string Viewer = "viewer-id";
    private const string Staff = "staff-id";

    private readonly BunitContext _context = new();
    private readonly TenantScope _scope = new();
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _authorization;
    private readonly SqliteConnection _connection;
    private Tenant _tenant = default!;

    public NotificationBellTests()
    {
        _authorization = _context.AddPortalComponents();
        _connection = _context.AddPortalLayout(_scope);
    }

    public async Task InitializeAsync()
    {
        await using var scope = _context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.EnsureCreatedAsync();
        _tenant = Tenant.Create(new TenantDetails("Bell Corp", "bell-corp", "Contact", "contact@bell-corp.example", "Europe/Paris", 2, 500), DateTimeOffset.UtcNow);
        db.Tenants.Add(_tenant);
        var admin = new IdentityRole(PortalRoles.TenantAdmin) { NormalizedName = PortalRoles.TenantAdmin.ToUpperInvariant() };
        var operatorRole = new IdentityRole(PortalRoles.ProviderOperator) { NormalizedName = PortalRoles.ProviderOperator.ToUpperInvariant() };
        db.Roles.AddRange(admin, operatorRole);
        db.Users.Add(new PortalUser { Id = Viewer, UserName = "viewer@bell-corp.example", Email = "viewer@bell-corp.example", TenantId = _tenant.Id });
        db.Users.Add(new PortalUser { Id = Staff, UserName = "staff@provider.example", Email = "staff@provider.example" });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = Viewer, RoleId = admin.Id });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = Staff, RoleId = operatorRole.Id });
        var at = new DateTimeOffset(2026, 12, 3, 9, 15, 0, TimeSpan.Zero);
        var read = Notification.Create(_tenant.Id, Viewer, 1, "Old news", "Read already", null, at.AddHours(-2));
        read.MarkRead(at);
        db.Notifications.AddRange(
            Notification.Create(_tenant.Id, Viewer, 1, "Window approved", "Your window is approved", "/windows", at),
            Notification.Create(_tenant.Id, Viewer, 7, "Cutover started", "The cutover started", null, at.AddMinutes(-1)),
            read,
            Notification.Create(null, Staff, 0, "Staff only", "Not the viewer's", null, at));
        await db.SaveChangesAsync();

        _scope.UseTenant(_tenant.Id, "viewer@bell-corp.example", Viewer);
        _authorization.SetAuthorized("viewer@bell-corp.example");
        _authorization.SetRoles(PortalRoles.TenantAdmin);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, Viewer), new Claim(TenantScope.TenantClaimType, _tenant.Id.ToString()));
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private (IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<NotificationBell> Bell) Render()
    {
        var popovers = _context.Render<MudPopoverProvider>();
        var bell = _context.Render<NotificationBell>();
        return (popovers, bell);
    }

    private static string Unread(IRenderedComponent<NotificationBell> bell) => bell.Find("[data-testid=bell]").GetAttribute("data-unread")!;

    /// <summary>Notifies and saves in a scope of its own, as a feature's service in the same circuit would.</summary>
    private async Task NotifyAsync(Func<INotifier, Task> notify)
    {
        await using var scope = _context.Services.CreateAsyncScope();
        await notify(scope.ServiceProvider.GetRequiredService<INotifier>());
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
    }

    [Fact]
    public void Render_TwoUnreadOfTheViewer_CountsTwoAndListsOnlyTheirs()
    {
        var (popovers, bell) = Render();

        bell.WaitForAssertion(() => Assert.Equal("2", Unread(bell)));
        Assert.Contains("2 unread", bell.Find("[data-testid=bell-button]").GetAttribute("aria-label"));
        bell.Find("[data-testid=bell-button]").Click();

        popovers.WaitForAssertion(() => Assert.Equal(3, popovers.FindAll("[data-testid=bell-item]").Count));
        var titles = popovers.FindAll("[data-testid=bell-item-title]").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(["Window approved", "Cutover started", "Old news"], titles);
        Assert.DoesNotContain("Staff only", popovers.Markup);

        // 09:15 UTC in the tenant's Paris zone.
        Assert.Equal("3 Dec 2026 10:15", popovers.FindAll("[data-testid=bell-item-time]")[0].TextContent.Trim());
    }

    [Fact]
    public void MarkRead_OneThenAll_CountGoesDown()
    {
        var (popovers, bell) = Render();
        bell.WaitForAssertion(() => Assert.Equal("2", Unread(bell)));
        bell.Find("[data-testid=bell-button]").Click();
        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll("[data-testid=bell-item-read]").Count));

        popovers.FindAll("[data-testid=bell-item-read]")[0].Click();

        bell.WaitForAssertion(() => Assert.Equal("1", Unread(bell)));
        popovers.WaitForAssertion(() => Assert.Equal("true", popovers.FindAll("[data-testid=bell-item]")[0].GetAttribute("data-read")));

        popovers.Find("[data-testid=bell-mark-all]").Click();

        bell.WaitForAssertion(() => Assert.Equal("0", Unread(bell)));
        popovers.WaitForAssertion(() => Assert.All(popovers.FindAll("[data-testid=bell-item]"), i => Assert.Equal("true", i.GetAttribute("data-read"))));
        Assert.Equal(1, CountUnread(Staff));
    }

    [Fact]
    public async Task Notify_AnotherUsersNotification_LeavesTheBellAloneAndTheViewersUpdatesIt()
    {
        var (_, bell) = Render();
        bell.WaitForAssertion(() => Assert.Equal("2", Unread(bell)));
        var renders = bell.RenderCount;

        // The staff member's notification, written from this tenant's scope, is saved: the viewer's bell is not touched.
        await NotifyAsync(n => n.NotifyStaffAsync(NotificationKind.WindowRequested, _ => new NotificationText("Window requested", "Approve it", "/windows")));
        Assert.Equal(2, CountUnread(Staff));
        await Task.Delay(300);
        Assert.Equal(renders, bell.RenderCount);
        Assert.Equal("2", Unread(bell));

        // The viewer's own: the count goes up without a reload.
        await NotifyAsync(n => n.NotifyTenantAdminsAsync(_tenant.Id, NotificationKind.CutoverCompleted, _ => new NotificationText("Cutover completed", "Done")));

        bell.WaitForAssertion(() => Assert.Equal("3", Unread(bell)));
        Assert.True(bell.RenderCount > renders);
    }

    [Fact]
    public void Render_NothingForTheViewer_ShowsTheEmptyState()
    {
        _scope.UseTenant(_tenant.Id, "nobody", "nobody-id");
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "nobody-id"), new Claim(TenantScope.TenantClaimType, _tenant.Id.ToString()));
        var (popovers, bell) = Render();

        bell.Find("[data-testid=bell-button]").Click();

        popovers.WaitForAssertion(() => Assert.NotNull(popovers.Find("[data-testid=bell-empty]")));
        Assert.Equal("0", Unread(bell));
    }

    private int CountUnread(string userId)
    {
        using var scope = _context.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return db.Notifications.IgnoreQueryFilters().Count(n => n.RecipientUserId == userId && n.ReadAt == null);
    }
}
