using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Plans;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Plans;

/// <summary>
/// Configuring a draft: a destination that takes plans, every source network of the group mapped onto one of its
/// networks, the options. A refusal says what is wrong in plain words and changes nothing; another tenant's plan does not exist.
/// </summary>
public sealed class PlanConfigurationTests(PlanWorld world) : IClassFixture<PlanWorld>
{
    private static readonly NetworkMapping[] AllMapped = [new("VM Network", "PROD"), new("DMZ-Web", "dmz-web")];

    private static PlanDetails Options(string name) => new(name, PlanWorld.Group, PlanMethod.Network, true, true, 30, 250);

    private Task<ServiceResult> ConfigureAsync(TestTenant tenant, Guid planId, Guid destinationId, IReadOnlyList<NetworkMapping> mappings, PlanDetails details) =>
        world.Factory.AsUserAsync(TestUsers.MemberOf(tenant), s => s.GetRequiredService<PlanService>().ConfigureAsync(planId, destinationId, mappings, details));

    private static void AssertUnchanged(MigrationPlan plan)
    {
        Assert.Null(plan.DestinationId);
        Assert.Empty(plan.NetworkMappings);
        Assert.False(plan.StartOnDestination);
        Assert.False(plan.RemoveSourceAfterSuccess);
        Assert.Equal(15, plan.SyncIntervalMinutes);
        Assert.Null(plan.ThrottleMbps);
    }

    [Fact]
    public async Task GetSettingsAsync_Draft_SourceNetworksOfTheGroupOnly()
    {
        var id = await world.DraftAsync(world.A, "settings");

        var settings = await world.Factory.AsUserAsync(TestUsers.MemberOf(world.A), s => s.GetRequiredService<PlanService>().GetSettingsAsync(id));

        Assert.NotNull(settings);
        Assert.Equal(["DMZ-Web", "VM Network"], settings.SourceNetworks);
        Assert.Equal(PlanStatus.Draft, settings.Status);
        Assert.Null(settings.DestinationId);
    }

    [Fact]
    public async Task ConfigureAsync_EverythingMapped_SavedWithTheDestinationsSpelling()
    {
        var id = await world.DraftAsync(world.A, "configured");

        var result = await ConfigureAsync(world.A, id, world.MainId, AllMapped, Options("configured"));

        Assert.True(result.Succeeded, result.Message);
        var plan = await world.PlanAsync(id);
        Assert.Equal(world.MainId, plan.DestinationId);
        Assert.Equal([new NetworkMapping("DMZ-Web", "dmz-web"), new NetworkMapping("VM Network", "prod")], plan.NetworkMappings.OrderBy(m => m.SourceNetwork, StringComparer.Ordinal));
        Assert.True(plan.StartOnDestination);
        Assert.True(plan.RemoveSourceAfterSuccess);
        Assert.Equal(30, plan.SyncIntervalMinutes);
        Assert.Equal(250, plan.ThrottleMbps);
        var row = (await world.Factory.AsUserAsync(TestUsers.MemberOf(world.A), s => s.GetRequiredService<PlanService>().ListAsync())).Single(p => p.Id == id);
        Assert.Equal("Main", row.DestinationName);
    }

    [Fact]
    public async Task ConfigureAsync_UnmappedNetwork_RefusedNamingItAndNothingChanges()
    {
        var id = await world.DraftAsync(world.A, "unmapped");

        var result = await ConfigureAsync(world.A, id, world.MainId, [new NetworkMapping("VM Network", "prod")], Options("unmapped"));

        Assert.Equal("Choose a destination network for the source network \"DMZ-Web\".", result.Errors["Mappings"]);
        AssertUnchanged(await world.PlanAsync(id));
    }

    [Fact]
    public async Task ConfigureAsync_NetworkTheDestinationLacks_Refused()
    {
        var id = await world.DraftAsync(world.A, "wrong-target");

        var result = await ConfigureAsync(world.A, id, world.MainId, [new NetworkMapping("VM Network", "prod"), new NetworkMapping("DMZ-Web", "backbone")], Options("wrong-target"));

        Assert.Equal("The destination Main has no network \"backbone\" (for the source network \"DMZ-Web\").", result.Errors["Mappings"]);
        AssertUnchanged(await world.PlanAsync(id));
    }

    [Fact]
    public async Task ConfigureAsync_RetiredDestination_RefusedAndNothingChanges()
    {
        var id = await world.DraftAsync(world.A, "retired");

        var result = await ConfigureAsync(world.A, id, world.RetiredId, AllMapped, Options("retired"));

        Assert.Equal("The destination Old no longer takes new plans; choose another one.", result.Errors["Destination"]);
        AssertUnchanged(await world.PlanAsync(id));
    }

    [Fact]
    public async Task ConfigureAsync_UnknownDestination_DoesNotExist()
    {
        var id = await world.DraftAsync(world.A, "unknown-destination");

        var result = await ConfigureAsync(world.A, id, Guid.NewGuid(), AllMapped, Options("unknown-destination"));

        Assert.Equal("That destination does not exist.", result.Message);
        AssertUnchanged(await world.PlanAsync(id));
    }

    [Fact]
    public async Task ConfigureAsync_InvalidOptions_PlainMessageAndNothingChanges()
    {
        var id = await world.DraftAsync(world.A, "bad-options");

        var result = await ConfigureAsync(world.A, id, world.MainId, AllMapped, Options("bad-options") with { SyncIntervalMinutes = 2, ThrottleMbps = 0 });

        Assert.Equal("The delta cycle interval must be between 5 minutes and 24 hours.", result.Errors["SyncIntervalMinutes"]);
        Assert.Equal("A throttle must be at least 1 Mbit/s, or empty for none.", result.Errors["ThrottleMbps"]);
        AssertUnchanged(await world.PlanAsync(id));
    }

    [Fact]
    public async Task ConfigureAsync_OtherTenantsPlan_DoesNotExistAndNothingChanges()
    {
        var bPlan = await world.DraftAsync(world.B, "bravo-plan");

        var result = await ConfigureAsync(world.A, bPlan, world.MainId, AllMapped, Options("bravo-plan"));
        var settings = await world.Factory.AsUserAsync(TestUsers.AdminOf(world.A), s => s.GetRequiredService<PlanService>().GetSettingsAsync(bPlan));

        Assert.Equal("That plan does not exist.", result.Message);
        Assert.Null(settings);
        AssertUnchanged(await world.PlanAsync(bPlan));
    }

    [Fact]
    public async Task ConfigureAsync_PlanAlreadyStarted_RefusedPlainly()
    {
        var id = await world.DraftAsync(world.A, "started");
        await world.Factory.AsSystemAsync(async s =>
        {
            s.GetRequiredService<TenantScope>().UseTenant(world.A.Id);
            var db = s.GetRequiredService<PortalDbContext>();
            var plan = await db.MigrationPlans.SingleAsync(p => p.Id == id);
            plan.SetDestination(world.MainId, [.. AllMapped]);
            plan.Start(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return 0;
        });

        var result = await ConfigureAsync(world.A, id, world.MainId, AllMapped, Options("started"));

        Assert.Equal("The destination can change only while the plan is a draft. This plan is replicating.", result.Message);
        var after = await world.PlanAsync(id);
        Assert.Equal(15, after.SyncIntervalMinutes);
        Assert.Equal(PlanStatus.Replicating, after.Status);
    }
}
