using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Infrastructure.FirstRun;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Live;

/// <summary>A fresh portal's demo lab, as a new user meets it: synced on its own, browsable, and busy with a workload.</summary>
public sealed class LabLiveTests(LabLivePortal portal) : IClassFixture<LabLivePortal>
{
    [Fact]
    public async Task DemoLab_FreshPortal_SyncsOnItsOwnAndItsInventoryIsSearchable()
    {
        var page = await portal.OpenSignedInAsync("admin@demo.example", "/environments");
        var row = page.Locator("[data-testid=env-table] tr", new() { HasText = FirstRunSeeder.DemoLabName });
        await Assertions.Expect(row.Locator("[data-testid=lab-chip]")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-testid=env-sync-state]")).ToContainTextAsync("4 VMs", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("[data-testid=env-status]")).ToHaveTextAsync("Connected");

        await row.Locator("[data-testid=env-name-link]").ClickAsync();
        await LivePortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=inventory-title]")).ToHaveTextAsync(FirstRunSeeder.DemoLabName);
        await Assertions.Expect(page.Locator("[data-testid=inventory-table]")).ToContainTextAsync("lab-web-01");
        Assert.Equal(4, await page.Locator("[data-testid=vm-name]").CountAsync());

        await page.FillAsync("input[data-testid=inventory-search]", "db");
        await Assertions.Expect(page.Locator("[data-testid=vm-name]")).ToHaveCountAsync(1);
        await page.ClickAsync("[data-testid=vm-name]");
        await Assertions.Expect(page.Locator("[data-testid=vm-detail]")).ToContainTextAsync("Hard disk 2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LivePortal.ScreenshotDirectory, "lab-inventory.png"), FullPage = true });

        await page.FillAsync("input[data-testid=inventory-search]", "no-such-vm");
        await Assertions.Expect(page.Locator("[data-testid=inventory-empty]")).ToHaveTextAsync("No VM matches these filters.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DemoLab_WorkloadHosted_RunningVmChangesBetweenTwoSnapshots()
    {
        var root = await portal.AsSystemAsync(async services =>
        {
            var id = await services.GetRequiredService<PortalDbContext>().Environments.Where(e => e.Name == FirstRunSeeder.DemoLabName).Select(e => e.Id).SingleAsync();
            return services.GetRequiredService<EnvironmentConnections>().LabRoot(id);
        });
        var lab = await WaitForLabAsync(root);
        var vm = (await lab.GetVmsAsync(CancellationToken.None)).First(v => v.PowerState == Domain.Environments.Connectors.VmPowerState.PoweredOn && v.Disks.Count > 0);

        var first = await lab.CreateSnapshotAsync(vm.Id, "before", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = await lab.CreateSnapshotAsync(vm.Id, "after", CancellationToken.None);
        var disk = vm.Disks[0].Key;
        var changed = await lab.GetChangedAreasAsync(vm.Id, second.Id, disk, first.Disks.Single(d => d.DiskKey == disk).ChangeId, CancellationToken.None);

        Assert.NotEmpty(changed);
    }

    private static async Task<LabEnvironment> WaitForLabAsync(string root)
    {
        // The sync or the workload creates the lab on the portal's first start.
        for (var i = 0; i < 150 && !File.Exists(Path.Combine(root, LabEnvironment.StateFileName)); i++)
        {
            await Task.Delay(200);
        }

        return await LabEnvironment.OpenOrCreateAsync(root);
    }
}
