using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>
/// The catalog lives in the database: seeded once from configuration, changed by ProviderAdmins only, read by staff, by
/// tenants (offered models) and by the assessment's forecast.
/// </summary>
public sealed class SeedDeviceCatalogTests(SeedDeviceCatalogTests.Portal fixture) : IClassFixture<SeedDeviceCatalogTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync() => Tenant = await Factory.CreateTenantAsync("seed-catalog");

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private PortalFactory Factory => fixture.Factory;

    private static SeedDeviceModelDetails Model(string name) => new(name, 4_000_000_000_000, 300_000_000, 3, 500_000_000, 2);

    private Task<(ServiceResult Result, Guid? Id)> CreateAsAsync(System.Security.Claims.ClaimsPrincipal user, SeedDeviceModelDetails details) =>
        Factory.AsUserAsync(user, s => s.GetRequiredService<SeedDeviceCatalogService>().CreateAsync(details));

    private Task<IReadOnlyList<SeedDeviceModelRow>> ListAsync() =>
        Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync());

    private Task<IReadOnlyList<Domain.Assessments.SeedDeviceModel>> ForecastDevicesAsync() =>
        Factory.AsUserAsync(TestUsers.MemberOf(fixture.Tenant), s => s.GetRequiredService<SeedDeviceCatalog>().DevicesAsync());

    private Task<int> CountAsync(string name) =>
        Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.CountAsync(m => m.Name == name));

    [Fact]
    public async Task FirstRun_ConfiguredModels_SeededIntoTheCatalog()
    {
        var rows = await ListAsync();

        var disk = Assert.Single(rows, r => r.Name == "8 TB rugged disk").Details;
        Assert.Equal(new SeedDeviceModelDetails("8 TB rugged disk", 8_000_000_000_000, 250_000_000, 2, 400_000_000, 1), disk);
        var appliance = Assert.Single(rows, r => r.Name == "80 TB transfer appliance").Details;
        Assert.Equal(new SeedDeviceModelDetails("80 TB transfer appliance", 80_000_000_000_000, 1_000_000_000, 3, 1_500_000_000, 2), appliance);
    }

    [Fact]
    public async Task FirstRun_CatalogAlreadyFilled_NotSeededAgain()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pp-tests", $"seed-catalog-restart-{Guid.NewGuid():N}");
        using (var first = new PortalFactory { DataDirectory = dataDirectory, KeepDataDirectory = true })
        {
            var id = await first.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.Where(m => m.Name == "8 TB rugged disk").Select(m => m.Id).SingleAsync());
            var renamed = await first.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>()
                .UpdateAsync(id, new SeedDeviceModelDetails("8 TB rugged disk, second generation", 8_000_000_000_000, 250_000_000, 2, 400_000_000, 1)));
            Assert.True(renamed.Succeeded, renamed.Message);
        }

        using var second = new PortalFactory { DataDirectory = dataDirectory };
        var names = await second.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().SeedDeviceModels.Select(m => m.Name).ToListAsync());

        Assert.Equal(["8 TB rugged disk, second generation", "80 TB transfer appliance"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_ProviderAdmin_SavedAndReadByTheForecast()
    {
        var (result, id) = await CreateAsAsync(TestUsers.ProviderAdmin, Model("4 TB disk"));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(Model("4 TB disk"), (await ListAsync()).Single(r => r.Id == id).Details);
        var forecast = Assert.Single(await ForecastDevicesAsync(), d => d.Name == "4 TB disk");
        Assert.Equal(new Domain.Assessments.SeedDeviceModel("4 TB disk", 4_000_000_000_000, 3, 300_000_000, 500_000_000, 2), forecast);
    }

    [Fact]
    public async Task CreateAsync_OperatorAndTenantAdmin_RefusedAndNothingSaved()
    {
        var byOperator = await CreateAsAsync(TestUsers.ProviderOperator, Model("By operator"));
        var byTenant = await CreateAsAsync(TestUsers.AdminOf(fixture.Tenant), Model("By tenant"));

        Assert.Equal(SeedDeviceCatalogService.AdminsOnly, byOperator.Result.Message);
        Assert.Equal(SeedDeviceCatalogService.AdminsOnly, byTenant.Result.Message);
        Assert.Equal(0, await CountAsync("By operator"));
        Assert.Equal(0, await CountAsync("By tenant"));
    }

    [Fact]
    public async Task CreateAsync_Invalid_PlainMessagesPerFieldAndNothingSaved()
    {
        var (result, _) = await CreateAsAsync(TestUsers.ProviderAdmin, new SeedDeviceModelDetails("Tiny", 1000, 10, 90, 400_000_000, -1));

        Assert.Equal("A device holds at least 1 GiB.", result.Errors["UsableCapacityBytes"]);
        Assert.Equal("The transfer speed must be at least 1 MB/s.", result.Errors["TransferBytesPerSecond"]);
        Assert.Equal("Shipping takes between 0 and 60 days each way.", result.Errors["ShippingDaysEachWay"]);
        Assert.Equal("Handling takes between 0 and 30 days.", result.Errors["HandlingDays"]);
        Assert.Equal(0, await CountAsync("Tiny"));
    }

    [Fact]
    public async Task CreateAsync_SameNameInOtherCase_Refused()
    {
        var (result, _) = await CreateAsAsync(TestUsers.ProviderAdmin, Model("8 TB RUGGED DISK"));

        Assert.Equal("A device model named \"8 TB RUGGED DISK\" already exists.", result.Errors["Name"]);
    }

    [Fact]
    public async Task UpdateAsync_Admin_Applied_OperatorRefused()
    {
        var (_, id) = await CreateAsAsync(TestUsers.ProviderAdmin, Model("To change"));

        var byOperator = await Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<SeedDeviceCatalogService>().UpdateAsync(id!.Value, Model("Changed by operator")));
        var byAdmin = await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().UpdateAsync(id!.Value, Model("Changed") with { HandlingDays = 5 }));

        Assert.Equal(SeedDeviceCatalogService.AdminsOnly, byOperator.Message);
        Assert.True(byAdmin.Succeeded, byAdmin.Message);
        Assert.Equal(5, (await ListAsync()).Single(r => r.Id == id).Details.HandlingDays);
        Assert.Equal(0, await CountAsync("Changed by operator"));
    }

    [Fact]
    public async Task RetireAsync_Admin_LeavesForecastAndOrderForm_OperatorRefused()
    {
        var (_, id) = await CreateAsAsync(TestUsers.ProviderAdmin, Model("Retiring disk"));

        var byOperator = await Factory.AsUserAsync(TestUsers.ProviderOperator, s => s.GetRequiredService<SeedDeviceCatalogService>().RetireAsync(id!.Value));
        Assert.Equal(SeedDeviceCatalogService.AdminsOnly, byOperator.Message);
        Assert.Contains(await ForecastDevicesAsync(), d => d.Name == "Retiring disk");

        var byAdmin = await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().RetireAsync(id!.Value));

        Assert.True(byAdmin.Succeeded, byAdmin.Message);
        Assert.True((await ListAsync()).Single(r => r.Id == id).Retired);
        Assert.DoesNotContain(await ForecastDevicesAsync(), d => d.Name == "Retiring disk");
        var offered = await Factory.AsUserAsync(TestUsers.MemberOf(fixture.Tenant), s => s.GetRequiredService<SeedDeviceCatalogService>().ListOfferedAsync());
        Assert.DoesNotContain(offered, m => m.Id == id);
        Assert.Contains(offered, m => m.Name == "8 TB rugged disk");
    }

    [Fact]
    public async Task ListAsync_TenantUser_Refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Factory.AsUserAsync(TestUsers.AdminOf(fixture.Tenant), s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync()));
    }

    [Fact]
    public void FromConfiguration_SizesInGbAndSpeedsInMBps_InvalidEntriesLeftOut()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Assessments:SeedDevices:0:Name"] = "Disk",
            ["Assessments:SeedDevices:0:CapacityGB"] = "2000",
            ["Assessments:SeedDevices:0:LoadMBps"] = "150",
            ["Assessments:SeedDevices:0:ShippingDaysEachWay"] = "4",
            ["Assessments:SeedDevices:1:Name"] = "No capacity",
        }).Build();

        var models = SeedDeviceCatalog.FromConfiguration(configuration);

        Assert.Equal([new SeedDeviceModelDetails("Disk", 2_000_000_000_000, 150_000_000, 4, 400_000_000, 1)], models);
    }

    [Fact]
    public async Task Get_CatalogPage_AdminMayChange_OperatorReadsOnly()
    {
        var asAdmin = await (await Factory.SignInAsync("admin@provider.example")).GetStringAsync("/provider/seed-devices");
        var asOperator = await (await Factory.SignInAsync("operator@provider.example")).GetStringAsync("/provider/seed-devices");

        Assert.Contains("80 TB transfer appliance", asAdmin);
        Assert.Contains("data-testid=\"seed-model-new\"", asAdmin);
        Assert.Contains("80 TB transfer appliance", asOperator);
        Assert.DoesNotContain("data-testid=\"seed-model-new\"", asOperator);
        Assert.Contains("Only a provider administrator changes the catalog.", asOperator);
    }

    [Fact]
    public async Task AssessmentReport_Forecast_ChoosesAmongTheDatabasesOfferedModels()
    {
        var tenant = fixture.Tenant;
        var environmentId = await Plans.PlanWorld.SeedEnvironmentAsync(Factory, tenant);
        var assessmentId = await Factory.AsSystemAsync(async s =>
        {
            s.GetRequiredService<Data.Tenancy.TenantScope>().UseTenant(tenant.Id, tenant.Admin.Email!, tenant.Admin.Id);
            var db = s.GetRequiredService<PortalDbContext>();
            var start = DateTimeOffset.UtcNow.AddMinutes(-20);
            var assessment = Domain.Assessments.Assessment.Start(environmentId, "catalog-forecast", [new Domain.Assessments.AssessmentVm("vm-web", "web-01")], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), start);
            db.Assessments.Add(assessment);
            db.ChangeSamples.AddRange(
                Domain.Assessments.ChangeSample.Record(assessment.Id, "vm-web", "2000", start.AddMinutes(5), TimeSpan.FromMinutes(5), 30_000_000, 1L << 29),
                Domain.Assessments.ChangeSample.Record(assessment.Id, "vm-web", "2000", start.AddMinutes(10), TimeSpan.FromMinutes(5), 30_000_000, 1L << 29));
            db.LinkSamples.Add(Domain.Assessments.LinkSample.Record(assessment.Id, start.AddMinutes(5), 5_000_000, 20, 0));
            await db.SaveChangesAsync();
            return assessment.Id;
        });
        var (_, probeId) = await CreateAsAsync(TestUsers.ProviderAdmin, new SeedDeviceModelDetails("Forecast probe 1 GiB", 1L << 30, 100_000_000, 1, 100_000_000, 0));
        Task<Domain.Assessments.Forecast?> ForecastAsync() =>
            Factory.AsUserAsync(TestUsers.MemberOf(tenant), async s => (await s.GetRequiredService<AssessmentReportService>().BuildAsync(assessmentId))!.Forecast);

        var withProbe = await ForecastAsync();
        Assert.True((await Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().RetireAsync(probeId!.Value))).Succeeded);
        var withoutProbe = await ForecastAsync();

        Assert.Equal("Forecast probe 1 GiB", withProbe?.SeedDevice?.Device.Name);
        Assert.NotNull(withoutProbe?.SeedDevice);
        Assert.NotEqual("Forecast probe 1 GiB", withoutProbe.SeedDevice.Device.Name);
        Assert.Contains(await ForecastDevicesAsync(), d => d == withoutProbe.SeedDevice.Device);
    }
}
