using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>What time does to approved windows: reminders once each, a window whose plan is not ready at its start marked Missed.</summary>
public sealed class WindowClockTests(WindowWorld world) : IClassFixture<WindowWorld>
{
    private async Task<MaintenanceWindow> ApprovedAsync(Guid plan, int days, int hour)
    {
        Assert.True((await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, WindowWorld.Local(days, hour), TimeSpan.FromHours(1)))).Succeeded);
        var window = Assert.Single(await world.WindowsOfAsync(plan));
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(window.Id))).Succeeded);
        return window;
    }

    private Task TickAsync(DateTimeOffset at) => world.Factory.AsSystemAsync(async s =>
    {
        await s.GetRequiredService<WindowClock>().TickAsync(at);
        return 0;
    });

    [Fact]
    public async Task Reminders_24HoursAnd1HourBefore_EachSentOnce()
    {
        var window = await ApprovedAsync(await world.DraftAsync(world.A, "clock-reminders"), 5, 2);

        await TickAsync(window.StartsAt.AddHours(-30));
        Assert.Empty((await world.WindowAsync(window.Id)).RemindersSent);

        await TickAsync(window.StartsAt.AddHours(-23));
        await TickAsync(window.StartsAt.AddHours(-22));
        Assert.Equal([24], (await world.WindowAsync(window.Id)).RemindersSent);

        await TickAsync(window.StartsAt.AddMinutes(-40));
        await TickAsync(window.StartsAt.AddMinutes(-30));
        Assert.Equal([1, 24], (await world.WindowAsync(window.Id)).RemindersSent.Order());
        Assert.Equal(MaintenanceWindowStatus.Approved, (await world.WindowAsync(window.Id)).Status);
    }

    [Fact]
    public async Task Start_PlanNotReplicating_WindowMissedWithTheReason_PlanUntouched()
    {
        var plan = await world.DraftAsync(world.A, "clock-missed");
        var window = await ApprovedAsync(plan, 6, 2);

        await TickAsync(window.StartsAt.AddMinutes(1));

        var missed = await world.WindowAsync(window.Id);
        Assert.Equal(MaintenanceWindowStatus.Missed, missed.Status);
        Assert.StartsWith("The plan was not ready for its cutover: A cutover starts from a replicating plan.", missed.Reason);
        Assert.Equal(PlanStatus.Draft, (await world.PlanAsync(plan)).Status);
    }

    [Fact]
    public async Task Start_AfterTheWindowEnded_MissedWithoutStartingAnything()
    {
        var plan = await world.DraftAsync(world.A, "clock-too-late");
        var window = await ApprovedAsync(plan, 6, 5);

        await TickAsync(window.EndsAt.AddMinutes(5));

        var missed = await world.WindowAsync(window.Id);
        Assert.Equal((MaintenanceWindowStatus.Missed, "The window ended before its cutover could start."), (missed.Status, missed.Reason));
    }

    [Fact]
    public async Task RequestedWindow_BaselineNotStarted_FlaggedAtRisk()
    {
        var plan = await world.DraftAsync(world.A, "clock-risk");
        Assert.True((await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, WindowWorld.Local(7, 2), TimeSpan.FromHours(1)))).Succeeded);
        var window = Assert.Single(await world.WindowsOfAsync(plan));

        await TickAsync(DateTimeOffset.UtcNow);

        Assert.Equal("The plan's baseline copies are not done and their end cannot be forecast yet.", (await world.WindowAsync(window.Id)).AtRiskReason);
    }

    [Fact]
    public async Task InProgressWindow_ItsPlanNoLongerCuttingOver_ClosedWithThePlansReason()
    {
        var plan = await world.DraftAsync(world.A, "clock-stuck");
        var window = await ApprovedAsync(plan, 6, 8);
        // A cutover that ended without closing its window (an error nobody foresaw, a node lost at the wrong moment).
        await world.Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            (await db.MaintenanceWindows.SingleAsync(w => w.Id == window.Id)).Begin(window.StartsAt);
            (await db.MigrationPlans.SingleAsync(p => p.Id == plan)).Cancel("Stopped by the operator after the node was lost.");
            return await db.SaveChangesAsync();
        });

        await TickAsync(window.StartsAt.AddMinutes(10));

        var closed = await world.WindowAsync(window.Id);
        Assert.Equal((MaintenanceWindowStatus.Failed, "Stopped by the operator after the node was lost."), (closed.Status, closed.Reason));
    }

    [Fact]
    public async Task RequestedWindow_ItsStartPassesUnapproved_LapsesAndLeavesTheQueue_AdminsTold()
    {
        var plan = await world.DraftAsync(world.A, "clock-lapsed");
        Assert.True((await world.AsAsync(TestUsers.MemberOf(world.A), s => s.RequestAsync(plan, WindowWorld.Local(6, 11), TimeSpan.FromHours(1)))).Succeeded);
        var window = Assert.Single(await world.WindowsOfAsync(plan));

        await TickAsync(window.StartsAt.AddMinutes(-5));
        Assert.Equal(MaintenanceWindowStatus.Requested, (await world.WindowAsync(window.Id)).Status);

        await TickAsync(window.StartsAt.AddMinutes(1));

        var lapsed = await world.WindowAsync(window.Id);
        Assert.Equal((MaintenanceWindowStatus.Missed, "Its start came before it was approved."), (lapsed.Status, lapsed.Reason));
        Assert.Equal(PlanStatus.Draft, (await world.PlanAsync(plan)).Status);
        var told = await world.Factory.SingleEmailAsync(world.A.Admin.Email!, "Cutover window request lapsed for clock-lapsed");
        Assert.Contains("Book another window.", told.TextBody);
        Assert.Null(told.AttachmentName);
        Assert.DoesNotContain(await world.AsAsync(TestUsers.ProviderOperator, s => s.QueueAsync()), row => row.Id == window.Id);
    }
}
