using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Features.Plans;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>
/// Two tenants, each with a lab environment whose plans hold two VMs of 512 MiB allocated each (1 GiB to load), the
/// catalog as the first run seeds it from configuration, and a recording notifier.
/// </summary>
public sealed class SeedDeviceWorld : IAsyncLifetime
{
    public const long PlanBytes = 1L << 30;

    public const string ConfiguredModel = "8 TB rugged disk";

    public PortalFactory Factory { get; } = new() { RecordNotifications = true };

    public TestTenant A { get; private set; } = default!;

    public TestTenant B { get; private set; } = default!;

    public Guid AEnvironmentId { get; private set; }

    public Guid BEnvironmentId { get; private set; }

    public Guid ModelId { get; private set; }

    public static ShippingAddress Address { get; } = new("Ops team", "Alpha SA", "1 rue de la Paix", null, "75002", "Paris", "FR", "Jeanne Martin", "ops@alpha.example", "+33 1 23 45 67 89");

    public async Task InitializeAsync()
    {
        A = await Factory.CreateTenantAsync("seed-a");
        B = await Factory.CreateTenantAsync("seed-b");
        AEnvironmentId = await PlanWorld.SeedEnvironmentAsync(Factory, A);
        BEnvironmentId = await PlanWorld.SeedEnvironmentAsync(Factory, B);
        ModelId = await Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.Where(m => m.Name == ConfiguredModel).Select(m => m.Id).SingleAsync());
    }

    public Task<Guid> PlanAsync(TestTenant tenant, string name) =>
        PlanWorld.SeedDraftAsync(Factory, tenant, tenant == A ? AEnvironmentId : BEnvironmentId, name);

    public Task<T> AsAsync<T>(ClaimsPrincipal user, Func<SeedDeviceOrderService, Task<T>> work) =>
        Factory.AsUserAsync(user, s => work(s.GetRequiredService<SeedDeviceOrderService>()));

    /// <summary>A new plan of the tenant with an order placed by its member.</summary>
    public async Task<Guid> OrderAsync(TestTenant tenant, string planName)
    {
        var planId = await PlanAsync(tenant, planName);
        var (result, id) = await AsAsync(TestUsers.MemberOf(tenant), s => s.PlaceAsync(planId, ModelId, Address));
        Assert.True(result.Succeeded, result.Message);
        return id!.Value;
    }

    /// <summary>Walks an order through the given steps, each of which must succeed.</summary>
    public async Task StepsAsync(Guid orderId, params (ClaimsPrincipal User, Func<SeedDeviceOrderService, Guid, Task<ServiceResult>> Step)[] steps)
    {
        foreach (var (user, step) in steps)
        {
            var result = await AsAsync(user, s => step(s, orderId));
            Assert.True(result.Succeeded, result.Message);
        }
    }

    public Task<SeedDeviceOrder> ReadAsync(Guid orderId) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.AsNoTracking().SingleAsync(o => o.Id == orderId));

    public Task<List<SeedDeviceOrder>> OrdersOfAsync(Guid planId) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.AsNoTracking().Where(o => o.PlanId == planId).ToListAsync());

    public Task<int> CountOrdersAsync(Guid planId) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceOrders.CountAsync(o => o.PlanId == planId));

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
