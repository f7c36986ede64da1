using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Web.Features.Destinations;
using ProviderPortal.Web.Infrastructure.FirstRun;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Destinations;

/// <summary>Only a ProviderAdmin changes destinations; operators read them; tenants see names and networks, never where disks live.</summary>
public sealed class DestinationServiceTests(DestinationServiceTests.Portal fixture) : IClassFixture<DestinationServiceTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync() => Tenant = await Factory.CreateTenantAsync("dest-svc-tests");

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private PortalFactory Factory => fixture.Factory;

    private static string Root(string name) => Path.Combine(Path.GetTempPath(), "pp-destinations", name);

    private static DestinationDetails Local(string name) => new(name, DestinationKind.LocalStorage, Root(name), ["prod", "backup"]);

    private static DestinationDetails Nbd(string name) => new(name, DestinationKind.Nbd, $"nbd://{name.Replace(' ', '-').ToLowerInvariant()}.storage.example:10809/{{tenant}}-{{vm}}-{{disk}}", ["prod"]);

    private Task<(ServiceResult Result, Guid? Id)> CreateAsAdminAsync(DestinationDetails details) =>
        Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().CreateAsync(details));

    private Task<IReadOnlyList<DestinationRow>> ListAsync(System.Security.Claims.ClaimsPrincipal user) =>
        Factory.AsUserAsync(user, s => s.GetRequiredService<DestinationService>().ListAsync());

    private Task<IReadOnlyList<AvailableDestination>> AvailableToTenantAsync() =>
        Factory.AsUserAsync(TestUsers.MemberOf(fixture.Tenant), s => s.GetRequiredService<DestinationService>().ListAvailableAsync());

    private Task<int> CountAsync(string name) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().DestinationSites.CountAsync(d => d.Name == name));

    [Fact]
    public async Task CreateAsync_ProviderAdmin_SavedAndListedForOperators()
    {
        var (result, id) = await CreateAsAdminAsync(Local("Frankfurt A"));

        Assert.True(result.Succeeded, result.Message);
        var row = Assert.Single(await ListAsync(TestUsers.ProviderOperator), d => d.Id == id);
        Assert.Equal(Root("Frankfurt A"), row.Location);
        Assert.Equal(["prod", "backup"], row.Networks);
        Assert.False(row.Retired);
    }

    [Fact]
    public async Task CreateAsync_ProviderOperator_RefusedAndNothingSaved()
    {
        var (result, id) = await Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<DestinationService>().CreateAsync(Local("By operator")));

        Assert.False(result.Succeeded);
        Assert.Equal("Only a provider administrator can change destinations.", result.Message);
        Assert.Null(id);
        Assert.Equal(0, await CountAsync("By operator"));
    }

    [Fact]
    public async Task CreateAsync_TenantAdmin_Refused()
    {
        var (result, _) = await Factory.AsUserAsync(TestUsers.AdminOf(fixture.Tenant), s => s.GetRequiredService<DestinationService>().CreateAsync(Local("By tenant")));

        Assert.Equal("Only a provider administrator can change destinations.", result.Message);
        Assert.Equal(0, await CountAsync("By tenant"));
    }

    [Fact]
    public async Task CreateAsync_Invalid_PlainMessagesPerFieldAndNothingSaved()
    {
        var (result, _) = await CreateAsAdminAsync(new DestinationDetails("Bad one", DestinationKind.Nbd, "nbd://storage:10809/{vm}", []));

        Assert.Equal("The template must name each disk apart: use {tenant}, {vm} and {disk} (and {plan} if you like).", result.Errors["Location"]);
        Assert.Equal("Name at least one destination network.", result.Errors["Networks"]);
        Assert.Equal(0, await CountAsync("Bad one"));
    }

    [Fact]
    public async Task CreateAsync_SameNameInOtherCase_Refused()
    {
        Assert.True((await CreateAsAdminAsync(Local("Paris"))).Result.Succeeded);

        var (result, _) = await CreateAsAdminAsync(Nbd("PARIS"));

        Assert.Equal("A destination named \"PARIS\" already exists.", result.Errors["Name"]);
    }

    [Fact]
    public async Task UpdateAsync_KindChanged_RefusedAndKept()
    {
        var (_, id) = await CreateAsAdminAsync(Local("Kind fixed"));

        var result = await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().UpdateAsync(id!.Value, Nbd("Kind fixed")));

        Assert.Equal("The kind of a destination cannot change: add a new destination instead.", result.Errors["Kind"]);
        Assert.Equal(DestinationKind.LocalStorage, (await ListAsync(TestUsers.ProviderAdmin)).Single(d => d.Id == id).Kind);
    }

    [Fact]
    public async Task UpdateAsync_ProviderAdmin_Applied_OperatorRefused()
    {
        var (_, id) = await CreateAsAdminAsync(Local("To rename"));

        var byOperator = await Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<DestinationService>().UpdateAsync(id!.Value, Local("Renamed by operator")));
        var byAdmin = await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().UpdateAsync(id!.Value, Local("Renamed")));

        Assert.False(byOperator.Succeeded);
        Assert.True(byAdmin.Succeeded, byAdmin.Message);
        Assert.Equal("Renamed", (await ListAsync(TestUsers.ProviderAdmin)).Single(d => d.Id == id).Name);
    }

    [Fact]
    public async Task RetireReinstate_HiddenFromTenantsWhileRetired_OperatorCannot()
    {
        var (_, id) = await CreateAsAdminAsync(Local("Retiring"));
        Assert.Contains(await AvailableToTenantAsync(), d => d.Id == id);

        var byOperator = await Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<DestinationService>().RetireAsync(id!.Value));
        Assert.False(byOperator.Succeeded);
        Assert.Contains(await AvailableToTenantAsync(), d => d.Id == id);

        Assert.True((await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().RetireAsync(id!.Value))).Succeeded);
        Assert.DoesNotContain(await AvailableToTenantAsync(), d => d.Id == id);
        Assert.True((await ListAsync(TestUsers.ProviderOperator)).Single(d => d.Id == id).Retired);

        Assert.True((await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().ReinstateAsync(id!.Value))).Succeeded);
        Assert.Contains(await AvailableToTenantAsync(), d => d.Id == id);
    }

    [Fact]
    public async Task RetireAsync_Unknown_DoesNotExist()
    {
        var result = await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<DestinationService>().RetireAsync(Guid.NewGuid()));

        Assert.Equal("That destination does not exist.", result.Message);
    }

    [Fact]
    public async Task ListAvailableAsync_Tenant_NeverTheRootFolderOrStorageHost()
    {
        var (_, localId) = await CreateAsAdminAsync(Local("Hidden root"));
        var (_, nbdId) = await CreateAsAdminAsync(Nbd("hidden-host"));

        var available = await AvailableToTenantAsync();

        var local = Assert.Single(available, d => d.Id == localId);
        Assert.Equal("Hidden root", local.Name);
        Assert.Equal(["prod", "backup"], local.Networks);
        Assert.Contains(available, d => d.Id == nbdId);
        var json = JsonSerializer.Serialize(available);
        Assert.DoesNotContain(Root("Hidden root"), json);
        Assert.DoesNotContain("hidden-host.storage.example", json);
        Assert.DoesNotContain("nbd://", json);
    }

    [Fact]
    public async Task ListAsync_TenantUser_Refused() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => ListAsync(TestUsers.AdminOf(fixture.Tenant)));

    [Fact]
    public async Task FirstRun_LocalLabStorage_UnderTheDataFolderOnceOnly()
    {
        var seeded = (await ListAsync(TestUsers.ProviderAdmin)).Single(d => d.Name == FirstRunSeeder.LocalDestinationName);

        Assert.Equal(DestinationKind.LocalStorage, seeded.Kind);
        Assert.True(Path.IsPathFullyQualified(seeded.Location));
        Assert.Equal(Path.GetFullPath(Path.Combine(Factory.DataDirectory, "destinations")), seeded.Location);
        Assert.Equal(["prod", "dmz"], seeded.Networks);
        Assert.True(Directory.Exists(seeded.Location));

        await Factory.AsSystemAsync(async s =>
        {
            await s.GetRequiredService<FirstRunSeeder>().SeedAsync(CancellationToken.None);
            return 0;
        });
        Assert.Equal(1, await CountAsync(FirstRunSeeder.LocalDestinationName));
    }
}
