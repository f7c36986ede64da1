using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Notifications;

/// <summary>The notifications page of a user with none yet: the empty state, and the settings saved per kind.</summary>
public sealed class NotificationsPageTests : IAsyncLifetime
{
    private const string UserId = "page-user";

    private readonly BunitContext _context = new();
    private readonly TenantScope _scope = new();
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _authorization;
    private readonly SqliteConnection _connection;

    public NotificationsPageTests()
    {
        _authorization = _context.AddPortalComponents();
        _connection = _context.AddPortalLayout(_scope);
    }

    public async Task InitializeAsync()
    {
        await using var scope = _context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.EnsureCreatedAsync();
        var tenant = Tenant.Create(new TenantDetails("Page Corp", "page-corp", "Contact", "contact@page-corp.example", "America/New_York", 2, 500), DateTimeOffset.UtcNow);
        db.Tenants.Add(tenant);
        db.Users.Add(new PortalUser { Id = UserId, UserName = "user@page-corp.example", Email = "user@page-corp.example", TenantId = tenant.Id });
        await db.SaveChangesAsync();

        _scope.UseTenant(tenant.Id, "user@page-corp.example", UserId);
        _authorization.SetAuthorized("user@page-corp.example");
        _authorization.SetRoles(PortalRoles.TenantMember);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(TenantScope.TenantClaimType, tenant.Id.ToString()));
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public void Render_NoNotifications_EmptyStateAndEveryKindOn()
    {
        var page = _context.Render<NotificationsPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=empty-state]")));
        Assert.Equal(Enum.GetValues<NotificationKind>().Length, page.FindAll("[data-testid=settings-kind]").Count);
        Assert.All(page.FindAll("[data-testid=settings-kind] input[type=checkbox]"), i => Assert.True(i.HasAttribute("checked")));
        Assert.Contains("America/New_York", page.Markup);
    }

    [Fact]
    public async Task Save_EmailOffForOneKind_StoredForThisUserOnly()
    {
        var page = _context.Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=settings-kind]")));
        var reminder = page.Find($"[data-testid=settings-kind][data-kind={NotificationKind.WindowReminder}]");

        // The second switch of the row: by email.
        reminder.QuerySelectorAll("input[type=checkbox]")[1].Change(false);
        page.Find("[data-testid=settings-save] button, button[data-testid=settings-save]").Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=settings-saved]")));
        await using var scope = _context.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().NotificationSettings.IgnoreQueryFilters().SingleAsync();
        Assert.Equal(UserId, settings.UserId);
        Assert.False(settings.WantsEmail((int)NotificationKind.WindowReminder));
        Assert.True(settings.WantsInApp((int)NotificationKind.WindowReminder));
        Assert.True(settings.WantsEmail((int)NotificationKind.WindowApproved));
        Assert.Null(settings.TimeZoneId);
    }
}
