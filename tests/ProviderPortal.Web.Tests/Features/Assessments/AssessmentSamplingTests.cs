using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>
/// Observation against a real lab: a round counts the unique bytes written since the last one (a block written twice
/// counts once), holds one snapshot per VM, measures the data path, and ending the observation leaves no snapshot behind.
/// </summary>
public sealed class AssessmentSamplingTests(LabTenant fixture) : IClassFixture<LabTenant>
{
    private const int Block = LabEnvironment.BlockSize;

    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => fixture.AsTenantAsync(work);

    private Task SampleAsync(Guid assessmentId) => fixture.SampleAsync(assessmentId);

    [Fact]
    public async Task SampleAsync_BlocksWrittenBetweenRounds_CountedOnceEachWithOneSnapshotHeld()
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var vm = (await lab.GetVmsAsync(CancellationToken.None)).First(v => v.Name == "lab-web-01");
        var disk = vm.Disks[0].Key;
        var id = await AsTenantAsync(async services =>
        {
            var assessment = Assessment.Start(fixture.EnvironmentId, "Sampling", [new AssessmentVm(vm.Id, vm.Name)], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
            var db = services.GetRequiredService<PortalDbContext>();
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            return assessment.Id;
        });

        await SampleAsync(id);
        var data = new byte[Block];
        Random.Shared.NextBytes(data);
        foreach (var offset in new long[] { 0, 10L * Block, 10L * Block, 500L * Block })
        {
            await lab.WriteAsync(vm.Id, disk, offset, data, CancellationToken.None);
        }

        await SampleAsync(id);

        var (samples, links, assessmentAfter) = await AsTenantAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            return (await db.ChangeSamples.Where(s => s.AssessmentId == id).ToListAsync(),
                await db.LinkSamples.Where(s => s.AssessmentId == id).ToListAsync(),
                await db.Assessments.SingleAsync(a => a.Id == id));
        });
        var sample = Assert.Single(samples, s => s.DiskKey == disk);
        Assert.Equal(3L * Block, sample.ChangedBytes);
        Assert.True(sample.AllocatedBytes > 0);
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.True(l.ThroughputBytesPerSecond > 0));
        Assert.All(links, l => Assert.Null(l.LatencyMilliseconds));
        Assert.Equal(2, assessmentAfter.SamplesTaken);
        var held = Assert.Single((await lab.GetVmAsync(vm.Id, CancellationToken.None)).Snapshots);
        Assert.Equal(assessmentAfter.Vms.Single().SnapshotId, held.Id);
    }

    [Fact]
    public async Task StartThenCancel_BaselineRoundRunsAtOnceAndNoSnapshotIsLeft()
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var vm = (await lab.GetVmsAsync(CancellationToken.None)).First(v => v.Name == "lab-app-01");

        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().StartAsync(fixture.EnvironmentId, "Quartz run", [vm.Id], TimeSpan.FromHours(2), TimeSpan.FromMinutes(10)));
        Assert.True(result.Succeeded, result.Message);
        Assessment? started = null;
        for (var i = 0; i < 200 && started?.SamplesTaken is not > 0; i++)
        {
            await Task.Delay(100);
            started = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Assessments.AsNoTracking().SingleAsync(a => a.Id == id));
        }

        Assert.Equal(1, started!.SamplesTaken);
        Assert.Single((await lab.GetVmAsync(vm.Id, CancellationToken.None)).Snapshots);

        var cancelled = await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().CancelAsync(id!.Value));
        var after = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Assessments.AsNoTracking().SingleAsync(a => a.Id == id));

        Assert.True(cancelled.Succeeded, cancelled.Message);
        Assert.Equal(AssessmentStatus.Cancelled, after.Status);
        Assert.Empty((await lab.GetVmAsync(vm.Id, CancellationToken.None)).Snapshots);
        Assert.All(after.Vms, v => Assert.Null(v.SnapshotId));
    }

    [Fact]
    public async Task StartAsync_LegacyVmWithoutTracking_SwitchesTrackingOn()
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var legacy = (await lab.GetVmsAsync(CancellationToken.None)).First(v => v.Name == "lab-legacy-01");
        Assert.All(legacy.Disks, d => Assert.Equal(Domain.Environments.Connectors.ChangeTrackingState.Disabled, d.ChangeTracking));

        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().StartAsync(fixture.EnvironmentId, "Legacy", [legacy.Id], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)));
        await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().CancelAsync(id!.Value));

        Assert.True(result.Succeeded, result.Message);
        Assert.All((await lab.GetVmAsync(legacy.Id, CancellationToken.None)).Disks, d => Assert.Equal(Domain.Environments.Connectors.ChangeTrackingState.Enabled, d.ChangeTracking));
    }

    [Theory]
    [InlineData("", 60, 5, "Name", "Enter a name")]
    [InlineData("Too short", 1, 1, "Period", "between 2 minutes and 30 days")]
    [InlineData("Interval", 60, 45, "Interval", "at least two sample intervals")]
    public async Task StartAsync_BadInput_PlainMessageAndNothingStarted(string name, int periodMinutes, int intervalMinutes, string field, string expected)
    {
        var before = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Assessments.CountAsync());

        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().StartAsync(fixture.EnvironmentId, name, [], TimeSpan.FromMinutes(periodMinutes), TimeSpan.FromMinutes(intervalMinutes)));

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Errors[field]);
        Assert.Null(id);
        Assert.Equal(before, await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Assessments.CountAsync()));
    }

    [Fact]
    public async Task StartAsync_VmNotInInventory_RefusedInPlainWords()
    {
        var (result, _) = await AsTenantAsync(s => s.GetRequiredService<AssessmentService>().StartAsync(fixture.EnvironmentId, "Ghost", ["no-such-vm"], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)));

        Assert.Contains("no longer in the inventory", result.Errors["Vms"]);
    }
}
