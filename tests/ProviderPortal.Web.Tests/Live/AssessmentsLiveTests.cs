using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Infrastructure.FirstRun;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>An assessment as a tenant runs it in a real browser: start it on the demo lab, watch the first samples arrive, read the report.</summary>
public sealed class AssessmentsLiveTests(LabLivePortal portal) : IClassFixture<LabLivePortal>
{
    [Fact]
    public async Task StartOnTheDemoLab_SamplesArriveAndTheReportShowsTheObservation()
    {
        var page = await portal.OpenSignedInAsync("member@demo.example", "/environments");
        var lab = page.Locator("[data-testid=env-table] tr", new() { HasText = FirstRunSeeder.DemoLabName });
        await Assertions.Expect(lab.Locator("[data-testid=env-sync-state]")).ToContainTextAsync("4 VMs", new() { Timeout = 30_000 });

        await page.GotoAsync(portal.BaseUrl + "/assessments");
        await LivePortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByText("No assessments yet")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start an assessment" }).ClickAsync();
        await page.FillAsync("input[data-testid=assessment-name]", "Demo pre-flight");
        await page.ClickAsync("[data-testid=assessment-start]");
        await Assertions.Expect(page.GetByText("Choose the environment to observe.")).ToBeVisibleAsync();

        await page.ClickAsync("[data-testid=assessment-environment]");
        await page.GetByText($"{FirstRunSeeder.DemoLabName} (lab)").ClickAsync();
        await page.ClickAsync("[data-testid=assessment-interval]");
        await page.GetByText("1 hour", new() { Exact = true }).ClickAsync();
        await page.FillAsync("input[data-testid=assessment-period]", "1");
        await page.ClickAsync("[data-testid=assessment-start]");
        await Assertions.Expect(page.GetByText("The period must hold at least two sample intervals", new() { Exact = false })).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=assessment-period]", "24");
        await page.ClickAsync("[data-testid=assessment-start]");
        var row = page.Locator("[data-testid=assessment-table] tr", new() { HasText = "Demo pre-flight" });
        await Assertions.Expect(row.Locator("[data-testid=assessment-status]")).ToHaveTextAsync("Observing");
        await Assertions.Expect(row).ToContainTextAsync("1 of", new() { Timeout = 30_000 });

        await row.Locator("[data-testid=assessment-link]").ClickAsync();
        await LivePortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=report-title]")).ToHaveTextAsync("Demo pre-flight");
        await Assertions.Expect(page.Locator("[data-testid=report-no-forecast]")).ToContainTextAsync("after the second sample");
        await Assertions.Expect(page.Locator("[data-testid=report-vms]")).ToContainTextAsync("lab-web-01");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "assessment-report-observing.png"), FullPage = true });

        await page.GotoAsync(portal.BaseUrl + "/assessments");
        await LivePortal.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=assessment-table] tr", new() { HasText = "Demo pre-flight" }).Locator("[data-testid=assessment-cancel]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=assessment-table] tr", new() { HasText = "Demo pre-flight" }).Locator("[data-testid=assessment-status]")).ToHaveTextAsync("Stopped");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Report_TwoSamplesTaken_ChartsDrawnByApexChartsInTheBrowser()
    {
        var page = await portal.OpenSignedInAsync("member@demo.example", "/environments");
        await Assertions.Expect(page.Locator("[data-testid=env-table] tr", new() { HasText = FirstRunSeeder.DemoLabName }).Locator("[data-testid=env-sync-state]"))
            .ToContainTextAsync("4 VMs", new() { Timeout = 30_000 });
        var id = await portal.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var demo = await db.Tenants.SingleAsync(t => t.Slug == FirstRunSeeder.DemoTenantSlug);
            services.GetRequiredService<TenantScope>().UseTenant(demo.Id, "test");
            var environment = await db.Environments.SingleAsync(e => e.Name == FirstRunSeeder.DemoLabName);
            var vms = await db.InventoryVms.Where(v => v.EnvironmentId == environment.Id && v.PowerState == Domain.Environments.Connectors.VmPowerState.PoweredOn).ToListAsync();
            var assessment = Assessment.Start(environment.Id, "Charted", [.. vms.Select(v => new AssessmentVm(v.ExternalId, v.Name))], TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow);
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            await using var connector = services.GetRequiredService<EnvironmentConnections>().Create(environment);
            var sampler = services.GetRequiredService<AssessmentSampler>();
            for (var round = 0; round < 3; round++)
            {
                // The hosted lab workload writes between rounds.
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                await sampler.SampleAsync(assessment, environment, connector, CancellationToken.None);
                await db.SaveChangesAsync();
            }

            return assessment.Id;
        });

        await page.GotoAsync($"{portal.BaseUrl}/assessments/{id}");
        await LivePortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=report-summary]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=chart-rates] .apexcharts-canvas svg .apexcharts-series path").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=chart-timeline] .apexcharts-canvas svg path.apexcharts-rangebar-area").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        Assert.True(await page.Locator("[data-testid=chart-timeline] path.apexcharts-rangebar-area").CountAsync() >= 4);
        Assert.Equal(0, await page.Locator("[data-testid=chart-failed]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "assessment-report-charts.png"), FullPage = true });

        // From the report, a draft plan: the group in boot order, the safe options off.
        await page.ClickAsync("[data-testid=report-create-plan]");
        await Assertions.Expect(page.Locator("input[data-testid=plan-name]")).ToHaveValueAsync("Charted migration");
        Assert.False(await page.Locator("input[data-testid=plan-remove]").IsCheckedAsync());
        Assert.False(await page.Locator("input[data-testid=plan-start]").IsCheckedAsync());
        await page.ClickAsync("[data-testid=plan-create]");
        await page.WaitForURLAsync(url => url.EndsWith("/plans", StringComparison.Ordinal));
        var plan = page.Locator("[data-testid=plan-table] tr", new() { HasText = "Charted migration" });
        await Assertions.Expect(plan).ToContainTextAsync("Destination stays off");
        await Assertions.Expect(plan).ToContainTextAsync("source kept");
        await Assertions.Expect(plan.Locator("[data-testid=plan-status]")).ToHaveTextAsync("Draft");
        await page.Context.CloseAsync();
    }
}
