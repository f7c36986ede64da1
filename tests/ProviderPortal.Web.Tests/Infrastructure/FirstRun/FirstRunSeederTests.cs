using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Features.Migration;
using ProviderPortal.Web.Infrastructure.FirstRun;

namespace ProviderPortal.Web.Tests.Infrastructure.FirstRun;

public sealed class FirstRunSeederTests
{
    [Fact]
    public void GeneratePassword_ManyTimes_AlwaysMeetsThePolicyAndNeverRepeats()
    {
        var passwords = Enumerable.Range(0, 500).Select(_ => FirstRunSeeder.GeneratePassword()).ToList();

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.All(passwords, p =>
        {
            Assert.Equal(16, p.Length);
            Assert.Contains(p, char.IsAsciiLetterLower);
            Assert.Contains(p, char.IsAsciiLetterUpper);
            Assert.Contains(p, char.IsAsciiDigit);
        });
    }

    [Fact]
    public async Task SeedAsync_FirstStartInterruptedThenLabLeftHalfMade_NextStartCompletesAndTheDemoLabSyncs()
    {
        var data = Path.Combine(Path.GetTempPath(), "pp-tests", $"first-run-{Guid.NewGuid():N}");

        // The first start stops half way: the member's configured password breaks the policy, after the demo tenant and
        // the first three accounts were made.
        using (var interrupted = new FirstRunPortal(data, memberPassword: "short") { KeepDataDirectory = true })
        {
            var failure = Assert.ThrowsAny<Exception>(() => interrupted.Services);
            Assert.Contains("First run failed", failure.ToString(), StringComparison.Ordinal);
        }

        using var portal = new FirstRunPortal(data, PortalFactory.Password);
        var (emails, labId, tenantId) = await portal.AsSystemAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var lab = await db.Environments.SingleAsync(e => e.Name == FirstRunSeeder.DemoLabName);
            return (await db.Users.Select(u => u.Email!).ToListAsync(), lab.Id, lab.TenantId);
        });
        Assert.Equal(FirstRunSeeder.Accounts.Select(a => a.Email).Order(), emails.Order());

        // The demo lab's folder as a process killed while writing its disks leaves it: disks, no lab.json.
        var root = portal.Services.GetRequiredService<EnvironmentConnections>().LabRoot(labId);
        var first = await LabEnvironment.OpenOrCreateAsync(root, new LabOptions { DataBytesPerDisk = 1 << 20 });
        var disk = await first.GetDiskPathAsync("lab-app-01", "disk-0", CancellationToken.None);
        File.Delete(Path.Combine(root, LabEnvironment.StateFileName));
        using (var handle = File.OpenHandle(disk, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, 1 << 20);
        }

        var synced = await portal.AsSystemAsync(services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenantId, "admin@demo.example");
            return services.GetRequiredService<EnvironmentService>().SyncNowAsync(labId);
        });
        Assert.True(synced.Succeeded, synced.Message);
        await MigrationPortal.WaitForAsync(
            () => portal.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().InventoryVms.CountAsync(v => v.EnvironmentId == labId)).ContinueWith(t => t.Result == 4),
            TimeSpan.FromSeconds(60),
            "the demo lab's inventory");
        var environment = await portal.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Environments.SingleAsync(e => e.Id == labId));
        Assert.Null(environment.LastSyncError);
    }

    /// <summary>A portal started on <paramref name="dataDirectory"/>, its demo member's password as given.</summary>
    private sealed class FirstRunPortal : PortalFactory
    {
        private readonly string _memberPassword;

        public FirstRunPortal(string dataDirectory, string memberPassword)
        {
            DataDirectory = dataDirectory;
            _memberPassword = memberPassword;
        }

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Seed:Passwords:TenantMember"] = _memberPassword,
        };
    }
}
