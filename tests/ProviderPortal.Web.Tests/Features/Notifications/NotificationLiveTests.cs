using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Data;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Tests.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Notifications;

/// <summary>
/// The live push on a real Kestrel portal: the progress hub's per-user message (what crosses portal nodes through the
/// Redis backplane) reaches the recipient's connections only, and the bell in a real Chromium counts up without a reload.
/// </summary>
public sealed class NotificationLiveTests(NotificationLiveTests.TwoTenants world) : IClassFixture<NotificationLiveTests.TwoTenants>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public sealed class TwoTenants : IAsyncLifetime
    {
        public LivePortal Portal { get; } = new();

        public TestTenant A { get; private set; } = default!;

        public TestTenant B { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Portal).InitializeAsync();
            A = await Portal.CreateTenantAsync("live-notify-a");
            B = await Portal.CreateTenantAsync("live-notify-b");
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();
    }

    private LivePortal Portal => world.Portal;

    private Task NotifyAdminsAsync(TestTenant tenant, string title) =>
        Portal.AsSystemAsync(async services =>
        {
            await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(tenant.Id, NotificationKind.CutoverStarted, _ => new NotificationText(title, "It started.", "/plans"));
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });

    [Fact]
    public async Task NotifyTenantAdmins_HubMessage_ReachesTheAdminOnly()
    {
        var heard = new ConcurrentDictionary<string, int>();
        var connections = new List<HubConnection>();
        foreach (var email in new[] { world.A.Admin.Email!, world.A.Member.Email!, world.B.Admin.Email! })
        {
            var connection = await ProgressTestData.ConnectAsync(Portal.BaseUrl, email);
            connection.On(NotificationPublisher.ChangedMessage, () => heard.AddOrUpdate(email, 1, (_, n) => n + 1));
            connections.Add(connection);
        }

        try
        {
            await NotifyAdminsAsync(world.A, "Hub message for A's admin");

            var deadline = DateTime.UtcNow + Patience;
            while (!heard.ContainsKey(world.A.Admin.Email!) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(heard.ContainsKey(world.A.Admin.Email!), "A's admin never heard of the notification.");
            await Task.Delay(500);
            Assert.False(heard.ContainsKey(world.A.Member.Email!), "A's member heard of the admins' notification.");
            Assert.False(heard.ContainsKey(world.B.Admin.Email!), "B's admin heard of A's notification.");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task NotifyTenantAdmins_OpenPage_BellCountsUpWithoutReload()
    {
        var page = await Portal.OpenSignedInAsync(world.B.Admin.Email!, "/");
        var bell = page.Locator("[data-testid=bell]");
        await Assertions.Expect(bell).ToHaveAttributeAsync("data-unread", "0");

        await NotifyAdminsAsync(world.B, "Live bell for B's admin");

        await Assertions.Expect(bell).ToHaveAttributeAsync("data-unread", "1", new() { Timeout = 10_000 });
        await page.Locator("[data-testid=bell-button]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=bell-item-title]").First).ToHaveTextAsync("Live bell for B's admin");
        await page.Context.CloseAsync();
    }
}
