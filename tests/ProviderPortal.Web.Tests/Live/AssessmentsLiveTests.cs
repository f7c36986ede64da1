using Microsoft.Playwright;
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
}
