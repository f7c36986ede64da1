using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>The plan service keeps to PlanPermissions: a refused user reads who may act instead, and nothing changes.</summary>
public sealed class PlanRunPermissionTests(PlanWorld world) : IClassFixture<PlanWorld>
{
    [Fact]
    public async Task EveryRunAction_ByATenantMember_RefusedInPlainWords_PlanUnchanged()
    {
        var planId = await world.DraftAsync(world.A, "Member's draft");
        var before = await world.PlanAsync(planId);

        var results = await world.Factory.AsUserAsync(TestUsers.MemberOf(world.A), async s =>
        {
            var runs = s.GetRequiredService<PlanRunService>();
            return new[]
            {
                await runs.StartAsync(planId),
                await runs.PauseAsync(planId),
                await runs.ResumeAsync(planId),
                await runs.SyncNowAsync(planId),
                await runs.SetThrottleAsync(planId, 10),
                await runs.StartCutoverAsync(planId, world.A.Member.Email!),
                await runs.CancelAsync(planId, "Members cannot."),
            };
        });

        Assert.All(results, r => Assert.False(r.Succeeded));
        Assert.Equal("Only your organisation's administrators can start a plan's replication.", results[0].Message);
        Assert.All(results[1..5], r => Assert.Equal("Only your organisation's administrators and the provider's staff can pause, resume, throttle or sync a plan.", r.Message));
        Assert.Equal("Only your organisation's administrators and the provider's staff can start a cutover.", results[5].Message);
        Assert.Equal("Only your organisation's administrators and the provider's administrators can cancel a plan.", results[6].Message);
        var after = await world.PlanAsync(planId);
        Assert.Equal((PlanStatus.Draft, before.ThrottleMbps, before.StatusReason), (after.Status, after.ThrottleMbps, after.StatusReason));
    }

    [Fact]
    public async Task CancelAsync_OperatorRefused_ProviderAdminCancels()
    {
        var planId = await world.DraftAsync(world.A, "Given up by the provider");

        var byOperator = await world.Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<PlanRunService>().CancelAsync(planId, "Operator"));
        Assert.False(byOperator.Succeeded);
        Assert.Equal(PlanStatus.Draft, (await world.PlanAsync(planId)).Status);

        var byAdmin = await world.Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<PlanRunService>().CancelAsync(planId, "The tenant left."));
        Assert.True(byAdmin.Succeeded, byAdmin.Message);
        Assert.Equal(PlanStatus.Cancelled, (await world.PlanAsync(planId)).Status);
    }
}
