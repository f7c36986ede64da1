using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Features.Audit;
using ProviderPortal.Web.Tests.Features.Progress;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Audit;

/// <summary>
/// The audit log as its readers get it, from a tenant whose plan replicates to the provider's local-storage destination
/// (root <see cref="ProgressTestData.DestinationRoot"/>) with a local worker on the provider's node <see cref="Node"/>.
/// </summary>
public sealed partial class AuditServiceTests(AuditServiceTests.ReplicatingTenant world) : IClassFixture<AuditServiceTests.ReplicatingTenant>
{
    public const string Node = "pp-node-audit-7";

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex Guid();

    public sealed class ReplicatingTenant : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public StartedPlan Plan { get; private set; } = default!;

        public async Task InitializeAsync() => (Tenant, Plan) = await SeedAsync(Portal, "audit-words");

        public Task DisposeAsync() => Portal.DisposeAsync().AsTask();
    }

    /// <summary>
    /// A tenant whose plan "audit-plan" replicates to "Audit test site", paused, with a VM error that quotes its disk's
    /// path, and a local worker connected on the provider's node <see cref="Node"/>.
    /// </summary>
    public static async Task<(TestTenant Tenant, StartedPlan Plan)> SeedAsync(PortalFactory portal, string slug)
    {
        var tenant = await portal.CreateTenantAsync(slug);
        var plan = await portal.CreateReplicatingPlanAsync(tenant, "audit-plan", "Audit test site");
        await portal.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var db = services.GetRequiredService<PortalDbContext>();
            var now = DateTimeOffset.UtcNow;
            (await db.MigrationPlans.SingleAsync(p => p.Id == plan.PlanId)).Pause();
            (await db.VmReplications.SingleAsync(v => v.Id == plan.VmReplicationId)).RecordError($"Could not open {plan.DiskTarget} for writing");
            var (token, _) = WorkerToken.Issue(tenant.Id, $"local worker on {Node}", "portal", isLocal: true, now);
            db.WorkerTokens.Add(token);
            db.WorkerSessions.Add(WorkerSession.Open(token, "connection-audit-1", Node, $"local-{Node}", "1.0.0", 2, 4242, now));
            return await db.SaveChangesAsync();
        });
        return (tenant, plan);
    }

    private Task<AuditResults> AsTenantAdminAsync() =>
        world.Portal.AsUserAsync(TestUsers.AdminOf(world.Tenant), services => services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(PageSize: 200)));

    private Task<AuditResults> AsProviderAdminAsync() =>
        world.Portal.AsUserAsync(TestUsers.ProviderAdmin, services => services.GetRequiredService<AuditService>().QueryAsync(new AuditQuery(world.Tenant.Id, PageSize: 200)));

    [Fact]
    public async Task QueryAsync_TenantAdmin_NoDestinationPathNorProviderNode()
    {
        var rows = (await AsTenantAdminAsync()).Rows;

        var seen = JsonSerializer.Serialize(rows);
        Assert.Contains(rows, r => r.Subject == "audit-plan");
        Assert.Contains(rows, r => r.Subject == "audit-plan-vm" && r.Changes.Any(c => c.StartsWith("Disks: Hard disk 1 (512 MiB)", StringComparison.Ordinal)));
        Assert.Contains(rows, r => r.Changes.Contains("Error: (empty) → Could not open (destination) for writing"));
        Assert.DoesNotContain(ProgressTestData.DestinationRoot, seen);
        Assert.DoesNotContain(Node, seen);
    }

    [Fact]
    public async Task QueryAsync_ProviderAdmin_EverythingIncludingWhereTheDisksGo()
    {
        var rows = (await AsProviderAdminAsync()).Rows;

        Assert.Contains(rows, r => r.Subject == "audit-plan-vm" && r.Changes.Any(c => c.Contains(world.Plan.DiskTarget, StringComparison.Ordinal)));
        Assert.Contains(rows, r => r.Changes.Contains($"Error: (empty) → Could not open {world.Plan.DiskTarget} for writing"));
        Assert.Contains(rows, r => r.What == "Worker session" && r.Changes.Contains($"Node: {Node}"));
    }

    [Fact]
    public async Task QueryAsync_PlanChanges_InWordsWithNamesInsteadOfIds()
    {
        var rows = (await AsTenantAdminAsync()).Rows;

        var created = Assert.Single(rows, r => r.Subject == "audit-plan" && r.Action == Domain.Audit.AuditAction.Created);
        var paused = Assert.Single(rows, r => r.Subject == "audit-plan" && r.Action == Domain.Audit.AuditAction.Updated);
        Assert.Equal("Migration plan", created.What);
        Assert.Contains("Status: Replicating", created.Changes);
        Assert.Contains("Destination: Audit test site", created.Changes);
        Assert.Contains("Environment: audit-plan source", created.Changes);
        Assert.Contains("VMs: audit-plan-vm", created.Changes);
        Assert.Contains("Start on destination: no", created.Changes);
        Assert.Contains("Status: Replicating → Paused", paused.Changes);
        Assert.All(rows, r =>
        {
            Assert.DoesNotMatch(Guid(), r.What + " " + r.Subject + " " + string.Join(" ", r.Changes));
            Assert.All(r.Changes, c => Assert.DoesNotContain("{", c, StringComparison.Ordinal));
            Assert.All(r.Changes, c => Assert.DoesNotContain("\"", c, StringComparison.Ordinal));
        });
    }
}
