using Bunit;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>The calendar component: windows in the hour cells of the viewer's zone, each hour coloured by the capacity left, booking only where there is room.</summary>
public sealed class WindowCalendarTests : BunitContext
{
    // Monday 7 December 2026, midnight in Paris (UTC+1 in winter).
    private static readonly DateTime WeekStart = new(2026, 12, 7);
    private static readonly DateTimeOffset WindowStart = new(2026, 12, 10, 21, 0, 0, TimeSpan.Zero);

    public WindowCalendarTests() => this.AddPortalComponents();

    private static WindowRow Row(string plan, DateTimeOffset startsAt, TimeSpan length, MaintenanceWindowStatus status, string tenant = "Acme") =>
        new(Guid.NewGuid(), Guid.NewGuid(), tenant, Guid.NewGuid(), plan, startsAt, startsAt + length, "Europe/Paris", status, "member@acme.example",
            startsAt.AddDays(-3), null, null, null, null, null, TimeSpan.FromMinutes(30));

    private static WindowCalendarData Data(params WindowRow[] windows)
    {
        var (from, to) = WindowCalendar.Range(WeekStart, WindowWorld.Paris);
        var hours = new List<CapacityHour>();
        for (var hour = from; hour < to; hour = hour.AddHours(1))
        {
            var blackout = hour >= new DateTimeOffset(2026, 12, 12, 0, 0, 0, TimeSpan.Zero) && hour < new DateTimeOffset(2026, 12, 12, 6, 0, 0, TimeSpan.Zero);
            var free = blackout ? 0 : hour == WindowStart ? 0 : hour == WindowStart.AddHours(1) ? 1 : 2;
            hours.Add(new CapacityHour(hour, free, blackout));
        }

        return new WindowCalendarData(windows, hours, 2);
    }

    private IRenderedComponent<WindowCalendar> Show(WindowCalendarData data, bool showTenant = false, Action<DateTime>? selected = null, Action<DateTime>? week = null) =>
        Render<WindowCalendar>(p => p
            .Add(c => c.Data, data)
            .Add(c => c.Zone, WindowWorld.Paris)
            .Add(c => c.WeekStart, WeekStart)
            .Add(c => c.ShowTenant, showTenant)
            .Add(c => c.HourSelected, at => selected?.Invoke(at))
            .Add(c => c.WeekChanged, at => week?.Invoke(at)));

    private static AngleSharp.Dom.IElement CellAt(IRenderedComponent<WindowCalendar> calendar, string localHour) =>
        calendar.Find($"[data-testid=cal-cell][data-at='{localHour}']");

    [Fact]
    public void Window_ShownInTheHoursOfTheViewersZone_OnlyThere()
    {
        var calendar = Show(Data(Row("Web tier", WindowStart, TimeSpan.FromMinutes(90), MaintenanceWindowStatus.Approved)));

        // 21:00–22:30 UTC is 22:00–23:30 in Paris on Thursday 10 December.
        Assert.Equal(["Thu 10"], calendar.FindAll("[data-testid=cal-day]").Select(d => d.TextContent).Where(t => t == "Thu 10"));
        Assert.Contains("Web tier", CellAt(calendar, "2026-12-10T22:00").TextContent);
        Assert.Contains("Web tier", CellAt(calendar, "2026-12-10T23:00").TextContent);
        Assert.DoesNotContain("Web tier", CellAt(calendar, "2026-12-10T21:00").TextContent);
        Assert.Equal(2, calendar.FindAll("[data-testid=cal-window]").Count);
        Assert.All(calendar.FindAll("[data-testid=cal-window]"), w => Assert.Equal("Approved", w.GetAttribute("data-status")));
        Assert.Equal(7 * 24, calendar.FindAll("[data-testid=cal-cell]").Count);
    }

    [Fact]
    public void Capacity_FullLastSlotFreeAndBlackout_EachHourSaysWhichAndWhy()
    {
        var calendar = Show(Data());

        var full = CellAt(calendar, "2026-12-10T22:00");
        Assert.Equal("0", full.GetAttribute("data-free"));
        Assert.Contains("pp-cal-full", full.ClassList);
        Assert.Equal("No cutover capacity left in this hour", full.GetAttribute("title"));
        Assert.Contains("pp-cal-low", CellAt(calendar, "2026-12-10T23:00").ClassList);
        Assert.Contains("pp-cal-free", CellAt(calendar, "2026-12-10T20:00").ClassList);
        var blackout = CellAt(calendar, "2026-12-12T03:00");
        Assert.Contains("pp-cal-blackout", blackout.ClassList);
        Assert.Equal("The provider takes no cutovers then", blackout.GetAttribute("title"));
    }

    [Fact]
    public void Click_AnHourWithRoomSelectsIt_AFullOneDoesNothing()
    {
        var selected = new List<DateTime>();
        var calendar = Show(Data(), selected: selected.Add);

        CellAt(calendar, "2026-12-10T22:00").Click();
        CellAt(calendar, "2026-12-12T03:00").Click();
        Assert.Empty(selected);

        CellAt(calendar, "2026-12-09T14:00").Click();
        Assert.Equal([new DateTime(2026, 12, 9, 14, 0, 0)], selected);
    }

    [Fact]
    public void Staff_SeeTheTenantOfEachWindow_CancelledAndRejectedOnesAreNotDrawn()
    {
        var calendar = Show(
            Data(
                Row("Web tier", WindowStart, TimeSpan.FromHours(1), MaintenanceWindowStatus.Requested, "Acme"),
                Row("Old try", WindowStart.AddHours(-5), TimeSpan.FromHours(1), MaintenanceWindowStatus.Cancelled, "Globex"),
                Row("Refused", WindowStart.AddHours(-8), TimeSpan.FromHours(1), MaintenanceWindowStatus.Rejected, "Initech")),
            showTenant: true);

        var window = Assert.Single(calendar.FindAll("[data-testid=cal-window]"));
        Assert.Equal("Acme: Web tier", System.Text.RegularExpressions.Regex.Replace(window.TextContent, @"\s+", " ").Trim());
        Assert.DoesNotContain("Globex", calendar.Markup);
    }

    [Fact]
    public void Navigation_NextAndPreviousWeek_AskedForBySevenDays()
    {
        var asked = new List<DateTime>();
        var calendar = Show(Data(), week: asked.Add);

        calendar.Find("[data-testid=cal-next] button, button[data-testid=cal-next]").Click();
        calendar.Find("[data-testid=cal-prev] button, button[data-testid=cal-prev]").Click();

        Assert.Equal([WeekStart.AddDays(7), WeekStart.AddDays(-7)], asked);
    }
}
