using System.Globalization;
using Microsoft.Playwright;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>Cutover windows in a real browser: a tenant member books on the calendar, an operator approves from the queue, the member sees it approved.</summary>
public sealed class WindowsLiveTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task Windows_MemberBooksOnTheCalendar_OperatorApproves_MemberSeesItApproved()
    {
        var tenant = await portal.CreateTenantAsync("live-windows");
        var environment = await PlanWorld.SeedEnvironmentAsync(portal, tenant);
        await PlanWorld.SeedDraftAsync(portal, tenant, environment, "Live cutover group");

        var member = await portal.OpenSignedInAsync(tenant.Member.Email!, "/windows");
        await Assertions.Expect(member.GetByText("No cutover windows yet")).ToBeVisibleAsync();

        // Next week's Wednesday at 10:00 (Paris) is always beyond the 48 h lead time.
        await member.ClickAsync("button[data-testid=cal-next], [data-testid=cal-next] button");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).Date;
        var wednesday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(9).AddHours(10);
        var at = wednesday.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        await member.ClickAsync($"[data-testid=cal-cell][data-at='{at}']");

        var dialog = member.Locator("[data-testid=book-window-dialog]");
        await Assertions.Expect(dialog).ToContainTextAsync("At least 30 minutes for this plan");
        await member.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "window-book-live.png"), FullPage = true });
        await member.ClickAsync("[data-testid=book-save]");

        var row = member.Locator("[data-testid=window-table] tr", new() { HasText = "Live cutover group" });
        await Assertions.Expect(row.Locator("[data-testid=window-status]")).ToHaveTextAsync("Requested");
        await Assertions.Expect(row).ToContainTextAsync($"{wednesday.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} to 11:00 (Europe/Paris)");
        await Assertions.Expect(member.Locator($"[data-testid=cal-cell][data-at='{at}'] [data-testid=cal-window]")).ToContainTextAsync("Live cutover group");

        var staff = await portal.OpenSignedInAsync("operator@provider.example", "/provider/windows");
        var item = staff.Locator("[data-testid=approval-item]", new() { HasText = "Live cutover group" });
        await Assertions.Expect(item).ToContainTextAsync(tenant.Name);
        await staff.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "window-queue-live.png"), FullPage = true });
        await item.Locator("[data-testid=approval-approve]").ClickAsync();
        await Assertions.Expect(item).ToHaveCountAsync(0);

        await member.ReloadAsync();
        await LivePortal.WaitForCircuitAsync(member);
        await Assertions.Expect(row.Locator("[data-testid=window-status]")).ToHaveTextAsync("Approved");
        await member.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "windows-live.png"), FullPage = true });
        await member.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }
}
