using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>
/// Loading and ingesting through the portal, the refusals: who may, in which state, with which folders. A refused request
/// changes nothing and queues nothing. (The round trip itself runs on the lab in SeedDeviceEndToEndTests.)
/// </summary>
public sealed class SeedDeviceRunsTests(SeedDeviceWorld world) : IClassFixture<SeedDeviceWorld>
{
    private static readonly ClaimsPrincipal Operator = TestUsers.ProviderOperator;

    private Task<ServiceResult> AsAsync(ClaimsPrincipal user, Func<SeedDeviceRuns, Task<ServiceResult>> work) =>
        world.Factory.AsUserAsync(user, s => work(s.GetRequiredService<SeedDeviceRuns>()));

    private async Task<Guid> DeliveredAsync(string plan)
    {
        var id = await world.OrderAsync(world.A, plan);
        await world.StepsAsync(id, (Operator, (s, o) => s.ApproveAsync(o)), (Operator, (s, o) => s.ShipAsync(o, "DHL", "1")), (Operator, (s, o) => s.MarkDeliveredAsync(o)));
        return id;
    }

    private Task<int> SeedTasksAsync() =>
        world.Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().ReplicationTasks.CountAsync(t => t.SeedOrderId != null));

    [Fact]
    public async Task Load_PlanNotStarted_RefusedPlainly_OrderStillDelivered()
    {
        var id = await DeliveredAsync("runs-not-started");

        var result = await AsAsync(TestUsers.MemberOf(world.A), r => r.LoadAsync(id, ["/mnt/seed1"]));

        Assert.Equal("Start the plan first: its worker writes the devices, and nothing goes over the network until they are ingested.", result.Message);
        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(id)).Status);
        Assert.Equal(0, await SeedTasksAsync());
    }

    [Theory]
    [InlineData("", "Enter the folder where the device is mounted.")]
    [InlineData("seed1", "Each folder must be a full path, such as /mnt/seed1.")]
    [InlineData("/mnt/seed1\n/mnt/seed2", "Enter the folder where the device is mounted.")]
    public async Task Load_FoldersNotRight_RefusedOnTheFoldersField(string folders, string expected)
    {
        var id = await DeliveredAsync($"runs-folders-{folders.Length}");

        var result = await AsAsync(TestUsers.MemberOf(world.A), r => r.LoadAsync(id, SeedDeviceText.Lines(folders)));

        Assert.Equal(expected, result.Errors["Folders"]);
        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(id)).Status);
    }

    [Fact]
    public void FoldersProblem_SeveralDevices_OnePerLineNoneTwice()
    {
        Assert.Null(SeedDeviceRuns.FoldersProblem(["/mnt/a", "/mnt/b"], 2));
        Assert.Equal("Enter the folder where each of the 2 devices is mounted, one per line, in the order they are numbered.", SeedDeviceRuns.FoldersProblem(["/mnt/a"], 2));
        Assert.Equal("Each device has its own folder: a folder is named twice.", SeedDeviceRuns.FoldersProblem(["/mnt/a", "/mnt/a"], 2));
    }

    [Fact]
    public async Task LoadAndIngest_WrongStateWrongSideOrAnotherTenant_RefusedAndNothingQueued()
    {
        var requested = await world.OrderAsync(world.A, "runs-requested");
        var delivered = await DeliveredAsync("runs-sides");

        Assert.Equal("Devices are loaded once they are delivered; this order is requested.",
            (await AsAsync(TestUsers.MemberOf(world.A), r => r.LoadAsync(requested, ["/mnt/seed1"]))).Message);
        Assert.Equal("Devices are ingested once they are back at the provider's; this order is delivered.",
            (await AsAsync(Operator, r => r.IngestAsync(delivered, ["/srv/seed1"]))).Message);
        Assert.Equal(SeedDeviceOrderService.StaffOnly, (await AsAsync(TestUsers.AdminOf(world.A), r => r.IngestAsync(delivered, ["/srv/seed1"]))).Message);
        Assert.Equal(SeedDeviceOrderService.TenantsOnly, (await AsAsync(Operator, r => r.LoadAsync(delivered, ["/mnt/seed1"]))).Message);
        Assert.Equal(SeedDeviceOrderService.NotFoundMessage, (await AsAsync(TestUsers.MemberOf(world.B), r => r.LoadAsync(delivered, ["/mnt/seed1"]))).Message);

        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(delivered)).Status);
        Assert.Equal(0, await SeedTasksAsync());
    }
}
