using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Notifications;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Notifications;

/// <summary>The notifier on the running portal's real SQLite database: who receives what, by which channel, in which zone.</summary>
public sealed class NotifierTests(NotifierTests.World world) : IClassFixture<NotifierTests.World>
{
    /// <summary>2 July 2026, 12:00 UTC: 14:00 in Paris, 08:00 in New York, 21:00 in Tokyo.</summary>
    private static readonly DateTimeOffset Instant = new(2026, 7, 2, 12, 0, 0, TimeSpan.Zero);

    public sealed class World : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        /// <summary>Europe/Paris, with a second administrator.</summary>
        public TestTenant A { get; private set; } = default!;

        public PortalUser ASecondAdmin { get; private set; } = default!;

        /// <summary>America/New_York.</summary>
        public TestTenant B { get; private set; } = default!;

        public List<string> StaffIds { get; private set; } = [];

        public async Task InitializeAsync()
        {
            A = await Factory.CreateTenantAsync("notify-a");
            ASecondAdmin = await Factory.CreateUserAsync(A.Id, "second-admin@notify-a.example", PortalRoles.TenantAdmin);
            B = await Factory.CreateTenantAsync("notify-b");
            var b = B;
            await Factory.AsSystemAsync(async services =>
            {
                var db = services.GetRequiredService<PortalDbContext>();
                var tenant = await db.Tenants.SingleAsync(t => t.Id == b.Id);
                tenant.Update(tenant.ToDetails() with { TimeZoneId = "America/New_York" });
                return await db.SaveChangesAsync();
            });
            StaffIds = await Factory.AsSystemAsync(async services =>
            {
                var db = services.GetRequiredService<PortalDbContext>();
                var staffRoles = await db.Roles.Where(r => r.Name == PortalRoles.ProviderAdmin || r.Name == PortalRoles.ProviderOperator).Select(r => r.Id).ToListAsync();
                return await db.UserRoles.Where(ur => staffRoles.Contains(ur.RoleId)).Select(ur => ur.UserId).Distinct().ToListAsync();
            });
            Assert.NotEmpty(StaffIds);
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private PortalFactory Factory => world.Factory;

    private static NotificationText At(string title, TimeZoneInfo zone) =>
        new(title, $"Starts {TimeZoneInfo.ConvertTime(Instant, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}", "/windows");

    /// <summary>Notifies as <paramref name="user"/> and saves, as a feature's service would.</summary>
    private Task NotifyAsync(ClaimsPrincipal user, Func<INotifier, Task> notify) =>
        Factory.AsUserAsync(user, async services =>
        {
            await notify(services.GetRequiredService<INotifier>());
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

    private Task<List<Notification>> NotificationsTitledAsync(string title) =>
        Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Notifications.AsNoTracking().Where(n => n.Title == title).ToListAsync());

    private Task<List<string>> EmailsTitledAsync(string title) =>
        Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().OutboxMessages.AsNoTracking().Where(m => m.Subject == title).Select(m => m.ToAddress).ToListAsync());

    [Fact]
    public async Task NotifyTenantAdmins_TenantA_ReachesAsAdminsOnly()
    {
        const string title = "Cutover of tenant A started";

        await NotifyAsync(TestUsers.AdminOf(world.A), n => n.NotifyTenantAdminsAsync(world.A.Id, NotificationKind.CutoverStarted, zone => At(title, zone)));

        var rows = await NotificationsTitledAsync(title);
        Assert.Equal(new[] { world.A.Admin.Id, world.ASecondAdmin.Id }.Order(), rows.Select(r => r.RecipientUserId).Order());
        Assert.All(rows, r => Assert.Equal(world.A.Id, r.TenantId));
        Assert.All(rows, r => Assert.Equal((int)NotificationKind.CutoverStarted, r.Kind));
        Assert.Equal(new[] { world.A.Admin.Email, world.ASecondAdmin.Email }.Order(), (await EmailsTitledAsync(title)).Order());
    }

    [Fact]
    public async Task NotifyTenantAdmins_AsSystem_NeverReachesAnotherTenantOrMembers()
    {
        const string title = "Cutover of tenant B completed";

        await Factory.AsSystemAsync(async services =>
        {
            await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(world.B.Id, NotificationKind.CutoverCompleted, zone => At(title, zone));
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

        var rows = await NotificationsTitledAsync(title);
        Assert.Equal([world.B.Admin.Id], rows.Select(r => r.RecipientUserId));
        Assert.Equal([world.B.Admin.Email!], await EmailsTitledAsync(title));
        Assert.DoesNotContain(rows, r => r.RecipientUserId == world.B.Member.Id || r.RecipientUserId == world.A.Admin.Id);
    }

    [Fact]
    public async Task NotifyTenantAdmins_OtherTenantFromTenantScope_RefusedAndNothingSaved()
    {
        const string title = "A notification A must not send to B";

        await Assert.ThrowsAsync<TenantIsolationException>(() =>
            NotifyAsync(TestUsers.AdminOf(world.A), n => n.NotifyTenantAdminsAsync(world.B.Id, NotificationKind.WindowApproved, zone => At(title, zone))));

        Assert.Empty(await NotificationsTitledAsync(title));
        Assert.Empty(await EmailsTitledAsync(title));
    }

    [Fact]
    public async Task NotifyStaff_FromTenantMember_ReachesStaffOnlyAndKeepsTheTenant()
    {
        const string title = "Window requested by tenant A";

        // A tenant member's context cannot see staff accounts; the notifier finds them anyway, and only them.
        await NotifyAsync(TestUsers.MemberOf(world.A), n => n.NotifyStaffAsync(NotificationKind.WindowRequested, zone => At(title, zone)));

        var rows = await NotificationsTitledAsync(title);
        Assert.Equal(world.StaffIds.Order(), rows.Select(r => r.RecipientUserId).Order());
        Assert.All(rows, r => Assert.Equal(world.A.Id, r.TenantId));
        var emails = await EmailsTitledAsync(title);
        Assert.Equal(world.StaffIds.Count, emails.Count);
        Assert.All(emails, e => Assert.EndsWith("@provider.example", e));

        // Staff read it in the staff zone (UTC by default).
        Assert.All(rows, r => Assert.Equal("Starts 2026-07-02 12:00", r.Body));
    }

    [Fact]
    public async Task NotifyTenantAdmins_TwoTenantsInTwoZones_SameInstantWrittenInEach()
    {
        const string title = "Window approved (zones)";

        await Factory.AsSystemAsync(async services =>
        {
            var notifier = services.GetRequiredService<INotifier>();
            await notifier.NotifyTenantAdminsAsync(world.A.Id, NotificationKind.WindowApproved, zone => At(title, zone));
            await notifier.NotifyTenantAdminsAsync(world.B.Id, NotificationKind.WindowApproved, zone => At(title, zone));
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

        var rows = await NotificationsTitledAsync(title);
        Assert.Equal("Starts 2026-07-02 14:00", rows.Single(r => r.RecipientUserId == world.A.Admin.Id).Body);
        Assert.Equal("Starts 2026-07-02 08:00", rows.Single(r => r.RecipientUserId == world.B.Admin.Id).Body);
    }

    [Fact]
    public async Task Notify_PreferencesOff_NoRowOrNoEmailForThatKindOnly()
    {
        const string missed = "Window missed (preferences)";
        const string proposed = "Window proposed (preferences)";
        var tenant = await Factory.CreateTenantAsync("notify-prefs");
        var second = await Factory.CreateUserAsync(tenant.Id, "second@notify-prefs.example", PortalRoles.TenantAdmin);
        await SaveChoicesAsync(TestUsers.AdminOf(tenant), NotificationKind.WindowMissed, inApp: false, email: true, timeZone: null);
        await SaveChoicesAsync(TestUsers.Principal(second.Email!, PortalRoles.TenantAdmin, tenant.Id, second.Id), NotificationKind.WindowMissed, inApp: true, email: false, timeZone: "Asia/Tokyo");

        await Factory.AsSystemAsync(async services =>
        {
            var notifier = services.GetRequiredService<INotifier>();
            await notifier.NotifyTenantAdminsAsync(tenant.Id, NotificationKind.WindowMissed, zone => At(missed, zone));
            await notifier.NotifyTenantAdminsAsync(tenant.Id, NotificationKind.WindowProposed, zone => At(proposed, zone));
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

        var missedRow = Assert.Single(await NotificationsTitledAsync(missed));
        Assert.Equal(second.Id, missedRow.RecipientUserId);
        Assert.Equal("Starts 2026-07-02 21:00", missedRow.Body);
        Assert.Equal([tenant.Admin.Email!], await EmailsTitledAsync(missed));

        // The other kind still reaches both by both channels, each in their own zone.
        var proposedRows = await NotificationsTitledAsync(proposed);
        Assert.Equal("Starts 2026-07-02 14:00", proposedRows.Single(r => r.RecipientUserId == tenant.Admin.Id).Body);
        Assert.Equal("Starts 2026-07-02 21:00", proposedRows.Single(r => r.RecipientUserId == second.Id).Body);
        Assert.Equal(new[] { tenant.Admin.Email, second.Email }.Order(), (await EmailsTitledAsync(proposed)).Order());
    }

    [Fact]
    public async Task Notify_BothChannelsOff_TextNeverWritten()
    {
        var tenant = await Factory.CreateTenantAsync("notify-silent");
        await SaveChoicesAsync(TestUsers.AdminOf(tenant), NotificationKind.DeviceOrderChanged, inApp: false, email: false, timeZone: null);
        var written = 0;

        await Factory.AsSystemAsync(async services =>
        {
            await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(tenant.Id, NotificationKind.DeviceOrderChanged, zone =>
            {
                written++;
                return At("silent", zone);
            });
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

        Assert.Equal(0, written);
        Assert.Empty(await NotificationsTitledAsync("silent"));
    }

    [Fact]
    public async Task SaveChoices_UnknownTimeZone_PlainErrorAndNothingSaved()
    {
        var result = await Factory.AsUserAsync(TestUsers.MemberOf(world.B), services =>
            services.GetRequiredService<NotificationCenter>().SaveChoicesAsync(new NotificationChoices([], "Mars/Olympus_Mons")));

        Assert.False(result.Succeeded);
        Assert.Contains("not a time zone", result.Errors[nameof(NotificationChoices.TimeZoneId)]);
        var saved = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().NotificationSettings.AnyAsync(s => s.UserId == world.B.Member.Id));
        Assert.False(saved);
    }

    [Fact]
    public async Task Notify_LivePush_OnlyAfterSaveAndOnlyToTheRecipient()
    {
        var tenant = await Factory.CreateTenantAsync("notify-live");
        var signals = Factory.Services.GetRequiredService<NotificationSignals>();
        var heardByAdmin = 0;
        var heardByMember = 0;
        var heardByOtherAdmin = 0;
        using var admin = signals.Subscribe(tenant.Admin.Id, () => { Interlocked.Increment(ref heardByAdmin); return Task.CompletedTask; });
        using var member = signals.Subscribe(tenant.Member.Id, () => { Interlocked.Increment(ref heardByMember); return Task.CompletedTask; });
        using var other = signals.Subscribe(world.A.Admin.Id, () => { Interlocked.Increment(ref heardByOtherAdmin); return Task.CompletedTask; });

        await Factory.AsUserAsync(TestUsers.AdminOf(tenant), async services =>
        {
            await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(tenant.Id, NotificationKind.CutoverRolledBack, zone => At("live", zone));
            Assert.Equal(0, heardByAdmin);
            var saved = await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
            Assert.Equal(1, heardByAdmin);
            return saved;
        });

        Assert.Equal(0, heardByMember);
        Assert.Equal(0, heardByOtherAdmin);
    }

    [Fact]
    public async Task MarkRead_AnotherUsersNotification_LeftUnread()
    {
        const string title = "Not yours to read";
        await NotifyAsync(TestUsers.AdminOf(world.B), n => n.NotifyTenantAdminsAsync(world.B.Id, NotificationKind.WindowReminder, zone => At(title, zone)));
        var row = Assert.Single(await NotificationsTitledAsync(title));

        // A's admin (another tenant) and B's member (same tenant, another user) try to mark B's admin's notification read.
        foreach (var user in new[] { TestUsers.AdminOf(world.A), TestUsers.MemberOf(world.B) })
        {
            await Factory.AsUserAsync(user, async services =>
            {
                var center = services.GetRequiredService<NotificationCenter>();
                await center.MarkReadAsync(row.Id);
                await center.MarkAllReadAsync();
                Assert.DoesNotContain(await center.RecentAsync(500), n => n.Id == row.Id);
                return 0;
            });
        }

        Assert.Null(Assert.Single(await NotificationsTitledAsync(title)).ReadAt);
        var unread = await Factory.AsUserAsync(TestUsers.AdminOf(world.B), services => services.GetRequiredService<NotificationCenter>().UnreadCountAsync());
        Assert.True(unread >= 1);
    }

    private Task SaveChoicesAsync(ClaimsPrincipal user, NotificationKind kind, bool inApp, bool email, string? timeZone) =>
        Factory.AsUserAsync(user, async services =>
        {
            var center = services.GetRequiredService<NotificationCenter>();
            var choices = await center.ChoicesAsync();
            Assert.NotNull(choices);
            var choice = choices.Kinds.Single(k => k.Kind == kind);
            choice.InApp = inApp;
            choice.Email = email;
            choices.TimeZoneId = timeZone;
            var result = await center.SaveChoicesAsync(choices);
            Assert.True(result.Succeeded, result.Message);
            return result;
        });
}
