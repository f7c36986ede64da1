using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>From a report to a draft migration plan: the observed VMs, the recommended method, the safe defaults, the forecast kept.</summary>
public sealed class PlanFromReportTests(LabTenant fixture) : IClassFixture<LabTenant>
{
    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => fixture.AsTenantAsync(work);

    private async Task<Guid> ObservedAsync(string name)
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var vms = (await lab.GetVmsAsync(CancellationToken.None)).Where(v => v.Name is "lab-web-01" or "lab-db-01").ToList();
        return await AsTenantAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var assessment = Assessment.Start(fixture.EnvironmentId, name, [.. vms.Select(v => new AssessmentVm(v.Id, v.Name))], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            var environment = await db.Environments.SingleAsync(e => e.Id == fixture.EnvironmentId);
            await using var connector = services.GetRequiredService<EnvironmentConnections>().Create(environment);
            for (var round = 0; round < 2; round++)
            {
                await lab.WriteAsync(vms[0].Id, vms[0].Disks[0].Key, round * LabEnvironment.BlockSize, new byte[LabEnvironment.BlockSize], CancellationToken.None);
                await services.GetRequiredService<AssessmentSampler>().SampleAsync(assessment, environment, connector, CancellationToken.None);
                await db.SaveChangesAsync();
            }

            await services.GetRequiredService<AssessmentService>().CancelAsync(assessment.Id);
            return assessment.Id;
        });
    }

    [Fact]
    public async Task CreateFromAssessmentAsync_Suggested_DraftWithTheGroupSafeDefaultsAndTheForecast()
    {
        var id = await ObservedAsync("Plan source");

        var suggested = (await AsTenantAsync(s => s.GetRequiredService<PlanService>().SuggestAsync(id)))!;
        var (result, planId) = await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested));
        var plan = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().MigrationPlans.AsNoTracking().SingleAsync(p => p.Id == planId));
        var report = (await AsTenantAsync(s => s.GetRequiredService<AssessmentReportService>().BuildAsync(id)))!;

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("Plan source migration", plan.Name);
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal(report.Vms.Select(v => v.Name), plan.Vms.OrderBy(v => v.BootOrder).Select(v => v.Name));
        Assert.Equal([1, 2], plan.Vms.Select(v => v.BootOrder).Order());
        Assert.False(plan.StartOnDestination);
        Assert.False(plan.RemoveSourceAfterSuccess);
        Assert.Equal(PlanMethod.Network, plan.Method);
        Assert.Equal(report.Forecast!.NetworkInitialCopy, plan.ForecastInitialCopy);
        Assert.Equal(report.Forecast.GroupDowntime, plan.ForecastDowntime);
        Assert.Equal(fixture.EnvironmentId, plan.EnvironmentId);
    }

    [Fact]
    public async Task CreateFromAssessmentAsync_VmNotObservedOrNameTaken_RefusedAndNothingSaved()
    {
        var id = await ObservedAsync("Plan checks");
        var suggested = (await AsTenantAsync(s => s.GetRequiredService<PlanService>().SuggestAsync(id)))!;
        await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested with { Name = "Taken plan" }));
        var before = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().MigrationPlans.CountAsync());

        var (stranger, _) = await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested with { Name = "Stranger", Vms = [.. suggested.Vms, new PlanVm("vm-nowhere", "nowhere", 3)] }));
        var (taken, _) = await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested with { Name = "taken PLAN" }));
        var (empty, _) = await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested with { Name = "Empty", Vms = [] }));

        Assert.Contains("only VMs the assessment observed", stranger.Errors["Vms"]);
        Assert.Contains("already exists", taken.Errors["Name"]);
        Assert.Contains("at least one VM", empty.Errors["Vms"]);
        Assert.Equal(before, await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().MigrationPlans.CountAsync()));
    }

    [Fact]
    public async Task RemoveEnvironment_PlansUseIt_RefusedInPlainWords()
    {
        var id = await ObservedAsync("Keeps the environment");
        var suggested = (await AsTenantAsync(s => s.GetRequiredService<PlanService>().SuggestAsync(id)))!;
        await AsTenantAsync(s => s.GetRequiredService<PlanService>().CreateFromAssessmentAsync(id, suggested with { Name = "Holds the lab" }));

        var removed = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RemoveAsync(fixture.EnvironmentId));

        Assert.False(removed.Succeeded);
        Assert.Contains("Migration plans use", removed.Message);
    }
}
