using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Tests.Features.Plans;
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

    private Task<int> SeedTasksAsync(params Guid[] orders) =>
        world.Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().ReplicationTasks.CountAsync(t => t.SeedOrderId != null && orders.Contains(t.SeedOrderId.Value)));

    [Fact]
    public async Task Load_PlanNotStarted_RefusedPlainly_OrderStillDelivered()
    {
        var id = await DeliveredAsync("runs-not-started");

        var result = await AsAsync(TestUsers.MemberOf(world.A), r => r.LoadAsync(id, ["/mnt/seed1"]));

        Assert.Equal("Start the plan first: its worker writes the devices, and nothing goes over the network until they are ingested.", result.Message);
        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(id)).Status);
        Assert.Equal(0, await SeedTasksAsync(id));
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
        Assert.Equal(0, await SeedTasksAsync(requested, delivered));
    }

    /// <summary>A seed-device plan of tenant A with PlanWorld's two VMs, started (both VMs waiting), and its order delivered.</summary>
    private async Task<(Guid Plan, Guid Order)> StartedSeedPlanAsync(string name)
    {
        var planId = await world.Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var site = DestinationSite.Create(new DestinationDetails($"{name} storage", DestinationKind.LocalStorage, "/srv/pp-seed-runs", ["prod"]), DateTimeOffset.UtcNow);
            db.DestinationSites.Add(site);
            await db.SaveChangesAsync();
            s.GetRequiredService<TenantScope>().UseTenant(world.A.Id, world.A.Admin.Email!, world.A.Admin.Id);
            var plan = MigrationPlan.Create(world.AEnvironmentId, new PlanDetails(name, PlanWorld.Group, PlanMethod.SeedDevice, false, false, 15, null), DateTimeOffset.UtcNow);
            plan.SetDestination(site.Id, []);
            plan.Start(DateTimeOffset.UtcNow);
            db.MigrationPlans.Add(plan);
            foreach (var vm in PlanWorld.Group)
            {
                db.VmReplications.Add(VmReplication.Create(plan, vm, [new DiskReplication("2000", "Hard disk 1", 1L << 30, $"/srv/pp-seed-runs/{plan.Id:N}/{vm.VmId}.img", null, 0)]));
            }

            await db.SaveChangesAsync();
            return plan.Id;
        });
        var (placed, orderId) = await world.AsAsync(TestUsers.MemberOf(world.A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));
        Assert.True(placed.Succeeded, placed.Message);
        await world.StepsAsync(orderId!.Value, (Operator, (s, o) => s.ApproveAsync(o)), (Operator, (s, o) => s.ShipAsync(o, "DHL", "1")), (Operator, (s, o) => s.MarkDeliveredAsync(o)));
        return (planId, orderId.Value);
    }

    private Task<List<ReplicationTask>> TasksAsync(Guid planId) =>
        world.Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().ReplicationTasks.AsNoTracking().Where(t => t.PlanId == planId).OrderBy(t => t.QueuedAt).ToListAsync());

    /// <summary>What the worker hub does when a worker reports the load of one VM done, in the worker's tenant.</summary>
    private Task LoadReportedDoneAsync(Guid taskId) => world.Factory.AsSystemAsync(async s =>
    {
        s.GetRequiredService<TenantScope>().UseTenant(world.A.Id, "worker");
        var db = s.GetRequiredService<PortalDbContext>();
        var task = await db.ReplicationTasks.SingleAsync(t => t.Id == taskId);
        var vm = await db.VmReplications.SingleAsync(v => v.Id == task.VmReplicationId);
        task.Assign(Guid.NewGuid(), DateTimeOffset.UtcNow);
        task.RecordSnapshot($"seed-{vm.VmId}", new Dictionary<string, string?> { ["2000"] = $"cbt-{vm.VmId}" });
        task.RecordDiskDone("2000", 1L << 29, 1L << 28);
        task.Complete(DateTimeOffset.UtcNow);
        vm.RecordSeedLoaded(task.SnapshotId!, task.SnapshotChangeIds, DateTimeOffset.UtcNow);
        await s.GetRequiredService<SeedDeviceRuns>().CopyCompletedAsync(task);
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Load_StartedPlan_OneLoadPerVm_AFailedOneLoadedAgainAlone_OrderLoadedWhenTheLastIsOnTheDevices()
    {
        var (planId, orderId) = await StartedSeedPlanAsync("runs-load");
        var member = TestUsers.MemberOf(world.A);

        Assert.True((await AsAsync(member, r => r.LoadAsync(orderId, ["/mnt/seed1"]))).Succeeded);
        var loads = await TasksAsync(planId);
        Assert.Equal(2, loads.Count);
        Assert.All(loads, t => Assert.Equal((ReplicationTaskKind.SeedLoad, (Guid?)orderId, "/mnt/seed1"), (t.Kind, t.SeedOrderId, Assert.Single(t.SeedFolders))));
        Assert.Equal(SeedDeviceOrderStatus.Loading, (await world.ReadAsync(orderId)).Status);
        Assert.Equal("The plan's devices are being loaded or ingested already; wait for that to finish.",
            (await AsAsync(member, r => r.LoadAsync(orderId, ["/mnt/seed1"]))).Message);

        // The first VM is on the device; the second failed for good (the device was unplugged).
        await LoadReportedDoneAsync(loads[0].Id);
        await world.Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var task = await db.ReplicationTasks.SingleAsync(t => t.Id == loads[1].Id);
            task.Assign(Guid.NewGuid(), DateTimeOffset.UtcNow);
            task.Fail("The seed device folder seed device 1 does not exist on the worker's machine.", DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(SeedDeviceOrderStatus.Loading, (await world.ReadAsync(orderId)).Status);

        // Loading again writes only the VM not on the device yet; when it is, the order is Loaded by itself.
        Assert.True((await AsAsync(member, r => r.LoadAsync(orderId, ["/mnt/seed1"]))).Succeeded);
        var again = Assert.Single(await TasksAsync(planId), t => t.State == ReplicationTaskState.Queued);
        Assert.Equal(loads[1].VmReplicationId, again.VmReplicationId);
        await LoadReportedDoneAsync(again.Id);

        Assert.Equal(SeedDeviceOrderStatus.Loaded, (await world.ReadAsync(orderId)).Status);
        var told = Assert.Single(world.Factory.Notifications.Sent, n => n.Text.Title == "Seed devices loaded" && n.Text.Body.Contains("runs-load", StringComparison.Ordinal));
        Assert.Equal(world.A.Id, told.TenantId);
    }
}
