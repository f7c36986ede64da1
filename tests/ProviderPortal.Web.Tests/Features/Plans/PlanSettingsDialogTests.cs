using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Destinations;
using ProviderPortal.Web.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;
using static ProviderPortal.Web.Tests.Infrastructure.DialogTesting;

namespace ProviderPortal.Web.Tests.Features.Plans;

/// <summary>The settings dialog over the real services and database: a mapping row per source network of the group, the remove-source warning.</summary>
public sealed class PlanSettingsDialogTests : PortalServicesContext, IClassFixture<PlanWorld>
{
    private readonly PlanWorld _world;

    public PlanSettingsDialogTests(PlanWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.MemberOf(world.A), typeof(PlanService), typeof(DestinationService));
    }

    /// <summary>A draft whose destination is already "Main" but whose networks are not mapped yet.</summary>
    private async Task<Guid> DraftOnMainAsync(string name)
    {
        var id = await _world.DraftAsync(_world.A, name);
        await _world.Factory.AsSystemAsync(async s =>
        {
            s.GetRequiredService<TenantScope>().UseTenant(_world.A.Id);
            var db = s.GetRequiredService<PortalDbContext>();
            (await db.MigrationPlans.SingleAsync(p => p.Id == id)).SetDestination(_world.MainId, []);
            await db.SaveChangesAsync();
            return 0;
        });
        return id;
    }

    /// <summary>A draft on "Main" with every network mapped, so only what a test types can stop it from saving.</summary>
    private async Task<Guid> ReadyDraftAsync(string name, int? throttleMbps)
    {
        var id = await _world.DraftAsync(_world.A, name);
        await _world.Factory.AsSystemAsync(async s =>
        {
            s.GetRequiredService<TenantScope>().UseTenant(_world.A.Id);
            var db = s.GetRequiredService<PortalDbContext>();
            var plan = await db.MigrationPlans.SingleAsync(p => p.Id == id);
            plan.SetDestination(_world.MainId, [new NetworkMapping("DMZ-Web", "dmz-web"), new NetworkMapping("VM Network", "prod")]);
            plan.SetThrottle(throttleMbps);
            await db.SaveChangesAsync();
            return 0;
        });
        return id;
    }

    private async Task<IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>> ShowAsync(Guid planId)
    {
        return await this.ShowDialogAsync("Configure", new DialogParameters<PlanSettingsDialog> { { d => d.PlanId, planId } }, "plan-settings-save");
    }

    [Fact]
    public async Task Render_Draft_OneMappingRowPerSourceNetworkOfTheGroup()
    {
        var dialog = await ShowAsync(await DraftOnMainAsync("rows"));

        dialog.WaitForAssertion(() =>
            Assert.Equal(["DMZ-Web", "VM Network"], dialog.FindAll("[data-testid=plan-mapping-source]").Select(e => e.TextContent.Trim())));
        Assert.DoesNotContain("Backup", dialog.Markup);
    }

    [Fact]
    public async Task Render_Draft_DestinationNetworkOfTheSameNamePreselected()
    {
        var dialog = await ShowAsync(await DraftOnMainAsync("preselect"));

        dialog.WaitForAssertion(() =>
        {
            var rows = dialog.FindAll("[data-testid=plan-mapping]");
            Assert.Equal(2, rows.Count);
            // The select shows its chosen value as its text.
            Assert.Equal("dmz-web", rows[0].QuerySelector("[data-testid=plan-mapping-target]")!.TextContent.Trim());
            Assert.Equal("", rows[1].QuerySelector("[data-testid=plan-mapping-target]")!.TextContent.Trim());
        });
    }

    [Fact]
    public async Task Save_NetworkLeftUnmapped_PlainMessageNamingIt()
    {
        var id = await DraftOnMainAsync("save-unmapped");
        var dialog = await ShowAsync(id);

        dialog.Find("[data-testid=plan-settings-save]").Click();

        dialog.WaitForAssertion(() => Assert.Equal("Choose a destination network for the source network \"VM Network\".", dialog.Find("[data-testid=plan-mapping-error]").TextContent.Trim()));
        Assert.Empty((await _world.PlanAsync(id)).NetworkMappings);
    }

    [Fact]
    public async Task RemoveSource_SwitchedOn_WarnsThatSourcesAreDeleted()
    {
        var dialog = await ShowAsync(await DraftOnMainAsync("remove-warning"));
        Assert.Empty(dialog.FindAll("[data-testid=plan-remove-warning]"));

        InputOf(dialog.Find("[data-testid=plan-remove]")).Change(true);

        dialog.WaitForAssertion(() => Assert.Contains("The source VMs will be deleted once the cutover of the whole group has succeeded",
            dialog.Find("[data-testid=plan-remove-warning]").TextContent));
    }

    [Fact]
    public async Task Save_ThrottleBelowOne_RefusedNextToTheFieldNotClampedAndNothingSaved()
    {
        var id = await ReadyDraftAsync("throttle-negative", throttleMbps: null);
        var dialog = await ShowAsync(id);

        InputOf(dialog.Find("[data-testid=plan-throttle]")).Change("-5");
        dialog.Find("[data-testid=plan-settings-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("A throttle must be at least 1 Mbit/s, or empty for none.", FieldText(dialog, "plan-throttle")));
        Assert.Equal("-5", InputOf(dialog.Find("[data-testid=plan-throttle]")).GetAttribute("value"));
        Assert.Null((await _world.PlanAsync(id)).ThrottleMbps);
        Assert.NotEmpty(dialog.FindAll("[data-testid=plan-settings-dialog]"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2.5")]
    [InlineData("2,5")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    public async Task Save_ThrottleThatIsNoWholeNumber_SaysSoAndCannotSave(string typed)
    {
        var id = await ReadyDraftAsync($"throttle-text-{typed.GetHashCode(StringComparison.Ordinal):x}", throttleMbps: 50);
        var dialog = await ShowAsync(id);

        InputOf(dialog.Find("[data-testid=plan-throttle]")).Change(typed);

        dialog.WaitForAssertion(() => Assert.True(dialog.Find("[data-testid=plan-settings-save]").HasAttribute("disabled")));
        Assert.Matches("Enter a whole number|That number is too large", FieldText(dialog, "plan-throttle"));
        Assert.Equal(50, (await _world.PlanAsync(id)).ThrottleMbps);
    }

    [Fact]
    public async Task Save_IntervalOutsideItsRange_RefusedWithTheRangeNotClamped()
    {
        var id = await ReadyDraftAsync("interval-short", throttleMbps: null);
        var dialog = await ShowAsync(id);

        InputOf(dialog.Find("[data-testid=plan-interval]")).Change("3");
        dialog.Find("[data-testid=plan-settings-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("The delta cycle interval must be between 5 minutes and 24 hours.", FieldText(dialog, "plan-interval")));
        Assert.Equal("3", InputOf(dialog.Find("[data-testid=plan-interval]")).GetAttribute("value"));
        Assert.Equal(15, (await _world.PlanAsync(id)).SyncIntervalMinutes);
    }

    [Fact]
    public async Task Save_ThrottleAndIntervalValid_Saved()
    {
        var id = await ReadyDraftAsync("throttle-valid", throttleMbps: null);
        var dialog = await ShowAsync(id);

        InputOf(dialog.Find("[data-testid=plan-throttle]")).Change(" 250 ");
        InputOf(dialog.Find("[data-testid=plan-interval]")).Change("30");
        dialog.Find("[data-testid=plan-settings-save]").Click();

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=plan-settings-dialog]")));
        var plan = await _world.PlanAsync(id);
        Assert.Equal(250, plan.ThrottleMbps);
        Assert.Equal(30, plan.SyncIntervalMinutes);
    }
}
