using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>
/// A portal whose provider takes one cutover an hour, with a blackout day ten days from now, and two tenants (Europe/Paris
/// and America/New_York), each with a lab environment and draft plans made on demand.
/// </summary>
public sealed class WindowWorld : IAsyncLifetime
{
    /// <summary>Midnight UTC ten days from now, for a day: the provider's blackout.</summary>
    public static DateTimeOffset BlackoutStart { get; } = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(10), TimeSpan.Zero);

    public WindowPortal Factory { get; } = new();

    public TestTenant A { get; private set; } = default!;

    public TestTenant B { get; private set; } = default!;

    public Guid AEnvironmentId { get; private set; }

    public Guid BEnvironmentId { get; private set; }

    public static TimeZoneInfo Paris { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static TimeZoneInfo NewYork { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public async Task InitializeAsync()
    {
        A = await Factory.CreateTenantAsync("windows-a");
        B = await Factory.CreateTenantAsync("windows-b");
        await Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var b = await db.Tenants.SingleAsync(t => t.Id == B.Id);
            b.Update(b.ToDetails() with { TimeZoneId = "America/New_York" });
            await db.SaveChangesAsync();
            return 0;
        });
        AEnvironmentId = await PlanWorld.SeedEnvironmentAsync(Factory, A);
        BEnvironmentId = await PlanWorld.SeedEnvironmentAsync(Factory, B);
    }

    public Task<Guid> DraftAsync(TestTenant tenant, string name) => PlanWorld.SeedDraftAsync(Factory, tenant, tenant == A ? AEnvironmentId : BEnvironmentId, name);

    /// <summary>A wall-clock time <paramref name="days"/> days from today at <paramref name="hour"/> o'clock, as entered in a zone.</summary>
    public static DateTime Local(int days, int hour) => DateTime.UtcNow.Date.AddDays(days).AddHours(hour);

    public Task<T> AsAsync<T>(System.Security.Claims.ClaimsPrincipal user, Func<WindowService, Task<T>> work) =>
        Factory.AsUserAsync(user, s => work(s.GetRequiredService<WindowService>()));

    public Task<List<MaintenanceWindow>> WindowsOfAsync(Guid planId) => Factory.AsSystemAsync(s =>
        s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().Where(w => w.PlanId == planId).ToListAsync());

    public Task<MigrationPlan> PlanAsync(Guid id) => Factory.AsSystemAsync(s =>
        s.GetRequiredService<PortalDbContext>().MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == id));

    public Task<MaintenanceWindow> WindowAsync(Guid windowId) => Factory.AsSystemAsync(s =>
        s.GetRequiredService<PortalDbContext>().MaintenanceWindows.AsNoTracking().SingleAsync(w => w.Id == windowId));

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    public sealed class WindowPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Windows:MaxConcurrentCutoversPerHour"] = "1",
            ["Windows:Blackouts:0:Name"] = "Core network change",
            ["Windows:Blackouts:0:StartsAt"] = BlackoutStart.ToString("O"),
            ["Windows:Blackouts:0:EndsAt"] = BlackoutStart.AddDays(1).ToString("O"),

            // The tests move the clock themselves (WindowClock.TickAsync); the job's own turns must not race them.
            ["Windows:CheckSeconds"] = "3600",
        };
    }
}
