using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Progress;

/// <summary>A started plan of one tenant: one VM with one disk whose baseline copy is running.</summary>
public sealed record StartedPlan(Guid TenantId, Guid PlanId, Guid VmReplicationId, Guid TaskId, string DiskTarget);

/// <summary>The progress tests' setup: plans written as their tenant, signed-in hub connections, and reports to publish.</summary>
public static class ProgressTestData
{
    public const long DiskBytes = 512L << 20;

    /// <summary>
    /// Registers an (unverified) environment and a plan for the tenant, with one VM replicating to a file target whose
    /// copy is running and whose last error names that target (the snapshot must not pass the path on).
    /// </summary>
    public static Task<StartedPlan> CreateStartedPlanAsync(this PortalFactory factory, TestTenant tenant, string planName) =>
        factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var draft = new EnvironmentDraft { Name = $"{planName} source", Kind = EnvironmentKind.VCenter, Endpoint = $"https://vcenter.{tenant.Slug}.example", UserName = "svc", Secret = "unused-secret" };
            var (registered, environmentId) = await services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true);
            Assert.True(registered.Succeeded, registered.Message);

            var db = services.GetRequiredService<PortalDbContext>();
            var now = DateTimeOffset.UtcNow;
            var vm = new PlanVm($"vm-{tenant.Slug}", $"{planName}-vm", 1);
            var plan = MigrationPlan.Create(environmentId!.Value, new PlanDetails(planName, [vm], PlanMethod.Network, false, false, 15, null), now);
            db.MigrationPlans.Add(plan);
            await db.SaveChangesAsync();

            var target = $"/srv/destinations/{tenant.Id:N}/{plan.Id:N}/disk-2000.img";
            var replication = VmReplication.Create(plan, vm, [new DiskReplication("2000", "Hard disk 1", DiskBytes, target, null, 0)]);
            replication.BeginBaseline(now);
            replication.RecordError($"Could not open {target} for writing (trying again)");
            db.VmReplications.Add(replication);
            await db.SaveChangesAsync();

            var task = ReplicationTask.QueueFor(replication, ReplicationTaskKind.Baseline, now);
            task.Assign(Guid.NewGuid(), now);
            task.RecordPlanned("2000", DiskBytes);
            db.ReplicationTasks.Add(task);
            await db.SaveChangesAsync();
            return new StartedPlan(tenant.Id, plan.Id, replication.Id, task.Id, target);
        });

    public const string DestinationRoot = "/srv/pp-test-destinations";

    /// <summary>
    /// A plan of the tenant that was started on a local-storage destination (created here as the provider): replicating,
    /// one VM whose baseline copy is queued for a worker.
    /// </summary>
    public static async Task<StartedPlan> CreateReplicatingPlanAsync(this PortalFactory factory, TestTenant tenant, string planName, string destinationName)
    {
        var destinationId = await factory.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var site = Domain.Destinations.DestinationSite.Create(new Domain.Destinations.DestinationDetails(destinationName, Domain.Destinations.DestinationKind.LocalStorage, DestinationRoot, ["prod"]), DateTimeOffset.UtcNow);
            db.DestinationSites.Add(site);
            await db.SaveChangesAsync();
            return site.Id;
        });

        return await factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var draft = new EnvironmentDraft { Name = $"{planName} source", Kind = EnvironmentKind.VCenter, Endpoint = $"https://vc-{planName}.{tenant.Slug}.example", UserName = "svc", Secret = "unused-secret" };
            var (registered, environmentId) = await services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true);
            Assert.True(registered.Succeeded, registered.Message);

            var db = services.GetRequiredService<PortalDbContext>();
            var now = DateTimeOffset.UtcNow;
            var vm = new PlanVm($"vm-{planName}", $"{planName}-vm", 1);
            var plan = MigrationPlan.Create(environmentId!.Value, new PlanDetails(planName, [vm], PlanMethod.Network, false, false, 15, null), now);
            plan.SetDestination(destinationId, []);
            plan.Start(now);
            db.MigrationPlans.Add(plan);
            await db.SaveChangesAsync();

            var target = $"{DestinationRoot}/{tenant.Id:N}/{plan.Id:N}/disk-2000.img";
            var replication = VmReplication.Create(plan, vm, [new DiskReplication("2000", "Hard disk 1", DiskBytes, target, null, 0)]);
            replication.BeginBaseline(now);
            db.VmReplications.Add(replication);
            await db.SaveChangesAsync();

            var task = ReplicationTask.QueueFor(replication, ReplicationTaskKind.Baseline, now);
            db.ReplicationTasks.Add(task);
            await db.SaveChangesAsync();
            return new StartedPlan(tenant.Id, plan.Id, replication.Id, task.Id, target);
        });
    }

    /// <summary>
    /// Copies of the plan's VM that succeeded two hours ago: a baseline, then delta cycles started every 15 min that
    /// copied <paramref name="deltaBytes"/> each in <paramref name="deltaSeconds"/> each.
    /// </summary>
    public static Task AddFinishedCopiesAsync(this PortalFactory factory, TestTenant tenant, StartedPlan plan, long[] deltaBytes, double[] deltaSeconds) =>
        factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var db = services.GetRequiredService<PortalDbContext>();
            var vm = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.VmReplications, v => v.Id == plan.VmReplicationId);
            var start = DateTimeOffset.UtcNow.AddHours(-2);
            void Copy(ReplicationTaskKind kind, int index, DateTimeOffset at, long bytes, double seconds)
            {
                var task = ReplicationTask.QueueFor(vm, kind, at);
                task.Assign(Guid.NewGuid(), at);
                task.RecordSnapshot($"snap-{index}", new Dictionary<string, string?> { ["2000"] = $"change-{index}" });
                task.RecordPlanned("2000", bytes);
                task.RecordDiskDone("2000", bytes, bytes);
                task.Complete(at.AddSeconds(seconds));
                db.ReplicationTasks.Add(task);
            }

            Copy(ReplicationTaskKind.Baseline, 0, start, DiskBytes, 60);
            for (var i = 0; i < deltaBytes.Length; i++)
            {
                Copy(ReplicationTaskKind.Delta, i + 1, start.AddMinutes(15 * (i + 1)), deltaBytes[i], deltaSeconds[i]);
            }

            await db.SaveChangesAsync();
            return true;
        });

    /// <summary>A report as a worker sends it: the copy's one disk at <paramref name="bytesDone"/>.</summary>
    public static ProgressReport Report(StartedPlan plan, long bytesDone) =>
        new(plan.TaskId, "copying", [new DiskProgressReport("2000", bytesDone, DiskBytes, 50L << 20)]);

    /// <summary>Publishes as the worker hub does, through the node's own publisher.</summary>
    public static Task PublishAsync(this PortalFactory node, StartedPlan plan, long bytesDone) =>
        node.Services.GetRequiredService<ProgressPublisher>()
            .PublishCopyProgressAsync(plan.TenantId, plan.PlanId, plan.VmReplicationId, plan.TaskId, ReplicationTaskKind.Baseline, Report(plan, bytesDone));

    /// <summary>Signs in through the real login form of the node at <paramref name="baseUrl"/>; returns the cookie jar.</summary>
    public static async Task<CookieContainer> SignInAsync(string baseUrl, string email)
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var response = await PortalFactory.PostFormAsync(http, "/Account/Login", "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalFactory.Password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} failed: {response.StatusCode}");
        return cookies;
    }

    /// <summary>A started connection to the node's progress hub, signed in as <paramref name="email"/>.</summary>
    public static async Task<HubConnection> ConnectAsync(string baseUrl, string email)
    {
        var cookies = await SignInAsync(baseUrl, email);
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + ProgressHub.Path, o => o.Cookies = cookies)
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
