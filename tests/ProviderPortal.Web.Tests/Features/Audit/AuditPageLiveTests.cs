using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ProviderPortal.Web.Tests.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Audit;

/// <summary>The audit page in a real browser, for the tenant of <see cref="AuditServiceTests.SeedAsync"/>.</summary>
public sealed partial class AuditPageLiveTests(AuditPageLiveTests.LiveTenant world) : IClassFixture<AuditPageLiveTests.LiveTenant>
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex Guid();

    public sealed class LiveTenant : IAsyncLifetime
    {
        public LivePortal Portal { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            await ((IAsyncLifetime)Portal).InitializeAsync();
            (Tenant, _) = await AuditServiceTests.SeedAsync(Portal, "audit-live");
        }

        public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();
    }

    [Fact]
    public async Task AuditPage_TenantAdmin_ChangesInWordsWithoutTheProvidersPathsOrServers()
    {
        var page = await world.Portal.OpenSignedInAsync(world.Tenant.Admin.Email!, "/audit");
        var table = page.Locator("[data-testid=audit-table]");

        await Assertions.Expect(table).ToContainTextAsync("Status: Replicating → Paused");
        await Assertions.Expect(table).ToContainTextAsync("Destination: Audit test site");
        await Assertions.Expect(table).ToContainTextAsync("Error: (empty) → Could not open (destination) for writing");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(ProgressTestData.DestinationRoot, html);
        Assert.DoesNotContain(AuditServiceTests.Node, html);
        Assert.DoesNotMatch(Guid(), await table.InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "audit-tenant-words.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
