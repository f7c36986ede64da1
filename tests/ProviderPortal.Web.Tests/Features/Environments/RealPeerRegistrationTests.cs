using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.TestPeers.Vcsim;
using ProviderPortal.TestPeers.XenOrchestra;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Environments;

/// <summary>
/// Registration against real peers, as a tenant does it: a vcsim vCenter (150 VMs) and the Xen Orchestra contract
/// server. Trust the certificate, log in, save, and the first inventory sync fills the inventory.
/// </summary>
public sealed class RealPeerRegistrationTests(RealPeerRegistrationTests.Peers peers) : IClassFixture<RealPeerRegistrationTests.Peers>
{
    private const string VcenterUser = "migration@vsphere.local";
    private const string VcenterPassword = "Vcsim-Portal-Secret-7";

    public sealed class Peers : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public VcsimPeer Vcenter { get; private set; } = default!;

        public XoTestServer Xo { get; private set; } = default!;

        public X509Certificate2 XoCertificate { get; } = TestCertificates.Create("xo.portal.test");

        public async Task InitializeAsync()
        {
            Tenant = await Factory.CreateTenantAsync("real-peers");
            Vcenter = await VcsimPeer.StartAsync("-vm", "25", "-username", VcenterUser, "-password", VcenterPassword);
            Xo = await XoTestServer.StartAsync(XoCertificate);
        }

        public async Task DisposeAsync()
        {
            await Vcenter.DisposeAsync();
            await Xo.DisposeAsync();
            XoCertificate.Dispose();
            Factory.Dispose();
        }
    }

    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => peers.Factory.AsSystemAsync(services =>
    {
        services.GetRequiredService<TenantScope>().UseTenant(peers.Tenant.Id, peers.Tenant.Admin.Email!, peers.Tenant.Admin.Id);
        return work(services);
    });

    private Task<ConnectionCheck> CheckAsync(EnvironmentDraft draft) => AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().CheckAsync(draft));

    private EnvironmentDraft VCenter(string name, string password = VcenterPassword) => new()
    {
        Name = name,
        Kind = EnvironmentKind.VCenter,
        Endpoint = peers.Vcenter.Url.GetLeftPart(UriPartial.Authority),
        UserName = VcenterUser,
        Secret = password,
    };

    private async Task<SourceEnvironment> WaitForSyncAsync(Guid id)
    {
        // The sync runs as a Quartz job; wait for it to end (either way), at most a minute.
        for (var i = 0; i < 600; i++)
        {
            var environment = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == id));
            if (environment.SyncState is SyncState.Succeeded or SyncState.Failed)
            {
                return environment;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The inventory sync did not end within a minute.");
    }

    [Fact]
    public async Task VCenter_TrustThenSave_FirstSyncFillsTheInventory()
    {
        var draft = VCenter("Frankfurt vCenter");

        var first = await CheckAsync(draft);
        Assert.True(first.NeedsTrust);
        Assert.Equal(peers.Vcenter.Thumbprint, first.Certificate!.Thumbprint);

        draft.TrustedThumbprint = first.Certificate.Thumbprint;
        var trusted = await CheckAsync(draft);
        Assert.True(trusted.Passed, string.Join(" ", trusted.Errors.Values));
        Assert.Equal(peers.Vcenter.VmCount, trusted.Server!.VmCount);

        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        Assert.True(result.Succeeded, result.Message);
        var synced = await WaitForSyncAsync(id!.Value);

        Assert.Equal(SyncState.Succeeded, synced.SyncState);
        Assert.Equal(EnvironmentStatus.Connected, synced.Status);
        Assert.Equal(peers.Vcenter.VmCount, synced.VmCount);
        var page = await AsTenantAsync(s => s.GetRequiredService<InventoryService>().QueryAsync(id.Value, new InventoryQuery { PageSize = 200 }));
        Assert.Equal(peers.Vcenter.VmCount, page.TotalCount);
        Assert.All(page.Items, vm => Assert.NotEmpty(vm.Disks));
    }

    [Fact]
    public async Task VCenter_WrongPassword_PlainMessageOnThePasswordAndNothingSaved()
    {
        var draft = VCenter("Wrong password", "not-the-password");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;

        var check = await CheckAsync(draft);
        var (result, _) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));

        Assert.Equal(ConnectorErrorKind.BadCredentials, check.ErrorKind);
        Assert.Contains("refused", check.Errors["Secret"], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-password", check.Errors["Secret"]);
        Assert.False(result.Succeeded);
        Assert.Equal(0, await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.CountAsync(e => e.Name == "Wrong password")));
    }

    [Fact]
    public async Task VCenter_CertificateReplacedAfterTrust_RetestRefusesAndSaysWhatItShows()
    {
        var draft = VCenter("Replaced certificate");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;
        var (_, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        await WaitForSyncAsync(id!.Value);

        // As if the server's certificate had changed since it was trusted: the stored pin no longer matches.
        await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.Where(e => e.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.TrustedThumbprint, string.Join(':', Enumerable.Repeat("0F", 32)))));
        var result = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RetestAsync(id.Value));
        var stored = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == id));

        Assert.False(result.Succeeded);
        Assert.Contains("different certificate", result.Message);
        Assert.Contains(peers.Vcenter.Thumbprint, result.Message);
        Assert.Equal(EnvironmentStatus.Failing, stored.Status);
    }

    [Fact]
    public async Task XenOrchestra_TokenTrustedAndSaved_FirstSyncFillsTheInventory()
    {
        var draft = new EnvironmentDraft
        {
            Name = "Lyon XO",
            Kind = EnvironmentKind.XenOrchestra,
            Endpoint = peers.Xo.Endpoint.GetLeftPart(UriPartial.Authority),
            Secret = XoTestServer.Token,
            TrustedThumbprint = Thumbprints.Sha256(peers.XoCertificate),
        };

        var check = await CheckAsync(draft);
        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        var synced = await WaitForSyncAsync(id!.Value);

        Assert.True(check.Passed, string.Join(" ", check.Errors.Values));
        Assert.Equal("Xen Orchestra", check.Server!.Product);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(SyncState.Succeeded, synced.SyncState);
        Assert.Equal(check.Server.VmCount, synced.VmCount);
        Assert.True(synced.VmCount > 0);
    }

    [Fact]
    public async Task XenOrchestra_BadToken_PlainMessageAndNothingSaved()
    {
        var draft = new EnvironmentDraft
        {
            Name = "Bad token XO",
            Kind = EnvironmentKind.XenOrchestra,
            Endpoint = peers.Xo.Endpoint.GetLeftPart(UriPartial.Authority),
            Secret = "not-a-valid-token",
            TrustedThumbprint = Thumbprints.Sha256(peers.XoCertificate),
        };

        var check = await CheckAsync(draft);

        Assert.Equal(ConnectorErrorKind.BadCredentials, check.ErrorKind);
        Assert.DoesNotContain("not-a-valid-token", check.Errors["Secret"]);
        Assert.Equal(0, await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.CountAsync(e => e.Name == "Bad token XO")));
    }

    [Fact]
    public async Task VCenter_CertificateReplaced_EditShowsTheNewOneAndTrustingItReconnects()
    {
        var draft = VCenter("Re-trusted vCenter");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;
        var (_, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        await WaitForSyncAsync(id!.Value);
        await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.Where(e => e.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.TrustedThumbprint, string.Join(':', Enumerable.Repeat("0F", 32)))));

        var edit = (await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().GetDraftAsync(id.Value)))!;
        var check = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().CheckAsync(edit, id));
        edit.TrustedThumbprint = check.Certificate!.Thumbprint;
        var saved = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().UpdateAsync(id.Value, edit, saveUnverified: false));
        var stored = await WaitForSyncAsync(id.Value);

        Assert.Null(edit.Secret);
        Assert.Equal(ConnectorErrorKind.CertificateMismatch, check.ErrorKind);
        Assert.True(check.NeedsTrust);
        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal(peers.Vcenter.Thumbprint, stored.TrustedThumbprint);
        Assert.Equal(EnvironmentStatus.Connected, stored.Status);
        Assert.Equal(SyncState.Succeeded, stored.SyncState);
    }

    [Fact]
    public async Task VCenter_EditWithWrongNewPassword_RefusedAndNothingChanged()
    {
        var draft = VCenter("Kept as it was");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;
        var (_, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        await WaitForSyncAsync(id!.Value);
        var before = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == id));

        var edit = (await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().GetDraftAsync(id.Value)))!;
        edit.Name = "Renamed with a wrong password";
        edit.Secret = "wrong-new-password";
        var result = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().UpdateAsync(id.Value, edit, saveUnverified: false));
        var after = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == id));

        Assert.False(result.Succeeded);
        Assert.Contains("refused", result.Errors["Secret"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Kept as it was", after.Name);
        Assert.Equal(before.ProtectedSecret, after.ProtectedSecret);
        Assert.Equal(EnvironmentStatus.Connected, after.Status);
    }

    [Fact]
    public async Task VCenter_EditKeepingTheStoredPassword_TestsWithItAndSavesTheNewInterval()
    {
        var draft = VCenter("Interval vCenter");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;
        var (_, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        await WaitForSyncAsync(id!.Value);

        var edit = (await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().GetDraftAsync(id.Value)))!;
        edit.SyncIntervalMinutes = 360;
        var result = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().UpdateAsync(id.Value, edit, saveUnverified: false));
        var stored = await WaitForSyncAsync(id.Value);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(360, stored.SyncIntervalMinutes);
        Assert.Equal(EnvironmentStatus.Connected, stored.Status);
    }

    [Fact]
    public async Task Secrets_RegisterTestSyncAndFailures_NeverInTheLogs()
    {
        // Every test of this class ran through the same portal; this one adds a sync that fails on a wrong password.
        var draft = VCenter("Log check vCenter");
        draft.TrustedThumbprint = peers.Vcenter.Thumbprint;
        var (_, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        await WaitForSyncAsync(id!.Value);
        var edit = (await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().GetDraftAsync(id.Value)))!;
        edit.Secret = "Logged-Never-Password-9";
        await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().UpdateAsync(id.Value, edit, saveUnverified: true));
        await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RetestAsync(id.Value));

        var logs = string.Join("\n", peers.Factory.Logs.Entries);

        Assert.Contains("Log check vCenter", await AsTenantAsync(async s => (await s.GetRequiredService<EnvironmentService>().ListAsync()).Single(e => e.Id == id).Name));
        Assert.Contains(id.Value.ToString(), logs);
        foreach (var secret in new[] { VcenterPassword, "Logged-Never-Password-9", "not-the-password", XoTestServer.Token, "not-a-valid-token" })
        {
            Assert.DoesNotContain(secret, logs);
        }
    }

    private EnvironmentDraft XoWithPoolMaster(string name, string xapiPassword) => new()
    {
        Name = name,
        Kind = EnvironmentKind.XenOrchestra,
        Endpoint = peers.Xo.Endpoint.GetLeftPart(UriPartial.Authority),
        Secret = XoTestServer.Token,
        TrustedThumbprint = Thumbprints.Sha256(peers.XoCertificate),

        // The contract server answers XAPI's JSON-RPC on the same address, as XO's own host could.
        HypervisorEndpoint = peers.Xo.Endpoint.GetLeftPart(UriPartial.Authority),
        HypervisorUserName = XoTestServer.XapiUser,
        HypervisorSecret = xapiPassword,
    };

    [Fact]
    public async Task XenOrchestra_PoolMaster_TrustedOnItsOwnThenSavedEncrypted()
    {
        var draft = XoWithPoolMaster("Lyon XO with XAPI", XoTestServer.XapiPassword);

        var first = await CheckAsync(draft);
        draft.HypervisorThumbprint = first.HypervisorCertificate!.Thumbprint;
        var second = await CheckAsync(draft);
        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));
        var stored = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.AsNoTracking().SingleAsync(e => e.Id == id));
        var edit = (await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().GetDraftAsync(id!.Value)))!;
        var retest = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().CheckAsync(edit, id));

        Assert.True(first.HypervisorNeedsTrust);
        Assert.False(first.Passed);
        Assert.Equal(Thumbprints.Sha256(peers.XoCertificate), first.HypervisorCertificate.Thumbprint);
        Assert.True(second.Passed, string.Join(" ", second.Errors.Values));
        Assert.Contains("XAPI", second.Server!.Version);
        Assert.True(result.Succeeded, result.Message);
        Assert.NotNull(stored.ProtectedHypervisorSecret);
        Assert.DoesNotContain(XoTestServer.XapiPassword, stored.ProtectedHypervisorSecret);
        Assert.Null(edit.HypervisorSecret);
        Assert.True(retest.Passed, string.Join(" ", retest.Errors.Values));
    }

    [Fact]
    public async Task XenOrchestra_PoolMasterWrongPassword_PlainMessageAndNothingSaved()
    {
        var draft = XoWithPoolMaster("Lyon XO bad XAPI", "not-the-xapi-password");
        draft.HypervisorThumbprint = Thumbprints.Sha256(peers.XoCertificate);

        var check = await CheckAsync(draft);
        var (result, _) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: false));

        Assert.Equal(ConnectorErrorKind.BadCredentials, check.ErrorKind);
        Assert.DoesNotContain("not-the-xapi-password", check.Errors[""]);
        Assert.False(result.Succeeded);
        Assert.Equal(0, await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().Environments.CountAsync(e => e.Name == "Lyon XO bad XAPI")));
    }
}
