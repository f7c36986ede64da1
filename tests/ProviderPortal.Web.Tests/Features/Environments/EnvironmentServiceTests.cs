using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Environments;

/// <summary>
/// Registering an environment: each kind of bad input gets a plain message on the right field and saves nothing;
/// the certificate is shown for trust before any credential is sent; secrets are stored encrypted.
/// </summary>
public sealed class EnvironmentServiceTests(EnvironmentServiceTests.OneTenant fixture) : IClassFixture<EnvironmentServiceTests.OneTenant>
{
    public sealed class OneTenant : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync() => Tenant = await Factory.CreateTenantAsync("env-svc-tests");

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => fixture.Factory.AsSystemAsync(services =>
    {
        services.GetRequiredService<TenantScope>().UseTenant(fixture.Tenant.Id, fixture.Tenant.Admin.Email!, fixture.Tenant.Admin.Id);
        return work(services);
    });

    private Task<ConnectionCheck> CheckAsync(EnvironmentDraft draft) =>
        AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().CheckAsync(draft));

    private Task<int> CountAsync(string name) =>
        AsTenantAsync(services => services.GetRequiredService<PortalDbContext>().Environments.CountAsync(e => e.Name == name));

    private static EnvironmentDraft VCenter(string name, string endpoint) =>
        new() { Name = name, Kind = EnvironmentKind.VCenter, Endpoint = endpoint, UserName = "migration@vsphere.local", Secret = "S3cret-pass!" };

    [Theory]
    [InlineData("not a url", "is not a web address")]
    [InlineData("http://vcenter.example.com", "must start with https://")]
    [InlineData("https://admin:pw@vcenter.example.com", "Leave the user name and password out of the address")]
    [InlineData("", "Enter the address")]
    public async Task RegisterAsync_MalformedAddress_EndpointErrorAndNothingSaved(string endpoint, string expected)
    {
        var name = $"bad-url-{Guid.NewGuid():N}";

        var (result, id) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(VCenter(name, endpoint), saveUnverified: false));

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Errors["Endpoint"]);
        Assert.Null(id);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task CheckAsync_NothingListens_SaysRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var check = await CheckAsync(VCenter("refused", $"https://127.0.0.1:{port}"));

        Assert.Equal(ConnectorErrorKind.ConnectionRefused, check.ErrorKind);
        Assert.Contains("refused the connection", check.Errors["Endpoint"]);
    }

    [Fact]
    public async Task CheckAsync_HostDoesNotResolve_SaysSo()
    {
        var check = await CheckAsync(VCenter("unresolvable", "https://vcenter.no-such-host.invalid"));

        Assert.Equal(ConnectorErrorKind.Unreachable, check.ErrorKind);
        Assert.Contains("could not be resolved", check.Errors["Endpoint"]);
    }

    [Fact]
    public async Task CheckAsync_ServerNeverAnswers_TimesOutWithinTheLimit()
    {
        await using var silent = new TlsPeer(handshake: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var check = await CheckAsync(VCenter("silent", silent.Endpoint));

        Assert.Equal(ConnectorErrorKind.Timeout, check.ErrorKind);
        Assert.Contains("did not answer in time", check.Errors["Endpoint"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task CheckAsync_FirstContact_ShowsTheCertificateAndAsksForTrust()
    {
        await using var server = new TlsPeer();

        var check = await CheckAsync(VCenter("first-contact", server.Endpoint));

        Assert.True(check.NeedsTrust);
        Assert.False(check.Passed);
        Assert.Empty(check.Errors);
        Assert.Equal(server.Thumbprint, check.Certificate!.Thumbprint);
        Assert.Contains("vcenter.peer.test", check.Certificate.Subject);
        Assert.False(check.Certificate.ChainTrusted);
    }

    [Fact]
    public async Task CheckAsync_CertificateChangedSinceTrusted_RefusedAndShowsTheNewOne()
    {
        await using var server = new TlsPeer();
        var draft = VCenter("changed-cert", server.Endpoint);
        draft.TrustedThumbprint = string.Join(':', Enumerable.Repeat("AB", 32));

        var check = await CheckAsync(draft);

        Assert.Equal(ConnectorErrorKind.CertificateMismatch, check.ErrorKind);
        Assert.Contains("different certificate", check.Errors[""]);
        Assert.Equal(server.Thumbprint, check.Certificate!.Thumbprint);
        Assert.False(check.Passed);
    }

    [Fact]
    public async Task RegisterAsync_TestDoesNotPass_NothingSaved()
    {
        await using var server = new TlsPeer();
        var name = $"untrusted-{Guid.NewGuid():N}";

        var (result, _) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(VCenter(name, server.Endpoint), saveUnverified: false));

        Assert.False(result.Succeeded);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task RegisterAsync_SavedUnverified_SecretEncryptedAndNeverInTheAudit()
    {
        var name = $"unverified-{Guid.NewGuid():N}";
        const string secret = "Unverified-S3cret-Value";
        var draft = VCenter(name, "https://vcenter.unverified.example");
        draft.Secret = secret;

        var (result, id) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true));

        Assert.True(result.Succeeded, result.Message);
        var (stored, audit, decrypted) = await AsTenantAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var environment = await db.Environments.SingleAsync(e => e.Id == id);
            var entries = await db.AuditEntries.Where(a => a.EntityId == id.ToString()).Select(a => a.Changes).ToListAsync();
            return (environment, string.Join("\n", entries), services.GetRequiredService<EnvironmentSecrets>().Unprotect(environment.ProtectedSecret!));
        });
        Assert.Equal(EnvironmentStatus.Unverified, stored.Status);
        Assert.Equal(SyncState.Never, stored.SyncState);
        Assert.DoesNotContain(secret, stored.ProtectedSecret);
        Assert.Equal(secret, decrypted);
        Assert.Contains("(secret)", audit);
        Assert.DoesNotContain(secret, audit);
        Assert.DoesNotContain(stored.ProtectedSecret!, audit);
    }

    [Fact]
    public async Task SyncNowAsync_Unverified_RefusedInPlainWords()
    {
        var name = $"no-sync-{Guid.NewGuid():N}";
        var (_, id) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(VCenter(name, "https://vcenter.nosync.example"), saveUnverified: true));

        var result = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().SyncNowAsync(id!.Value));

        Assert.False(result.Succeeded);
        Assert.Contains("has not passed a connection test", result.Message);
    }

    [Fact]
    public async Task RegisterAsync_NameTakenInTheTenant_NameError()
    {
        var name = $"twice-{Guid.NewGuid():N}";
        await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(VCenter(name, "https://one.example"), saveUnverified: true));

        var (result, _) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(VCenter(name.ToUpperInvariant(), "https://two.example"), saveUnverified: true));

        Assert.False(result.Succeeded);
        Assert.Contains("already exists", result.Errors["Name"]);
        Assert.Equal(1, await CountAsync(name));
    }

    [Theory]
    [InlineData(EnvironmentKind.VCenter, "", "Enter the password")]
    [InlineData(EnvironmentKind.XenOrchestra, " ", "authentication token")]
    public async Task RegisterAsync_NoSecret_SecretError(EnvironmentKind kind, string secret, string expected)
    {
        var draft = new EnvironmentDraft { Name = $"nosecret-{Guid.NewGuid():N}", Kind = kind, Endpoint = "https://host.example", UserName = "u@vsphere.local", Secret = secret };

        var (result, _) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true));

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Errors["Secret"]);
        Assert.Equal(0, await CountAsync(draft.Name));
    }

    [Fact]
    public async Task EnvironmentSecrets_KeysPersisted_AnotherProtectorInstanceDecrypts()
    {
        var protectedSecret = await AsTenantAsync(services => Task.FromResult(services.GetRequiredService<EnvironmentSecrets>().Protect("persisted-secret")));

        // A fresh provider over the same key folder stands for the portal after a restart.
        var provider = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(fixture.Factory.DataDirectory, "keys")), b => b.SetApplicationName("ProviderPortal"));

        Assert.Equal("persisted-secret", new EnvironmentSecrets(provider).Unprotect(protectedSecret));
    }

    [Fact]
    public async Task RegisterAsync_PasswordOf5000Characters_RefusedWithTheLimitAndNothingSaved()
    {
        var name = $"long-secret-{Guid.NewGuid():N}";
        var draft = VCenter(name, "https://vcenter.long-secret.example");
        draft.Secret = new string('p', 5000);

        var (result, id) = await AsTenantAsync(services => services.GetRequiredService<EnvironmentService>().RegisterAsync(draft, saveUnverified: true));

        Assert.Null(id);
        Assert.Equal("The password or token can be at most 500 characters.", result.Errors[nameof(EnvironmentDraft.Secret)]);
        Assert.Equal(0, await CountAsync(name));
    }
}
