using System.Security.Cryptography.X509Certificates;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Connectors.Tests.XenOrchestra;

/// <summary>
/// The one setup of the Xen Orchestra tests: the test XO/XAPI server on HTTPS and a real nbdkit with TLS
/// behind XAPI's get_nbd_info, each with its own self-signed certificate. Tests reset the estate first.
/// </summary>
public sealed class XoFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "xo-tests-" + Guid.NewGuid().ToString("N"));
    private NbdkitServer? _nbd;

    public XoTestServer Server { get; private set; } = null!;

    public X509Certificate2 XoCertificate { get; private set; } = null!;

    public X509Certificate2 NbdCertificate { get; private set; } = null!;

    public string XoThumbprint => Thumbprints.Sha256(XoCertificate);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        XoCertificate = TestCertificates.Create("xo.test");
        NbdCertificate = TestCertificates.Create("xcp-host-1");
        Server = await XoTestServer.StartAsync(XoCertificate);
        _nbd = await NbdkitServer.StartAsync(NbdCertificate, _work, XoSeed.WebDiskSize);
        Server.Nbd = (_nbd.Port, _nbd.File, NbdCertificate.ExportCertificatePem());
    }

    /// <summary>Settings for the test XO with the valid token; with XAPI access when asked.</summary>
    public ConnectionSettings Settings(bool hypervisor = false, string? token = XoTestServer.Token, string? pin = null, Uri? endpoint = null) =>
        new(EnvironmentKind.XenOrchestra, endpoint ?? Server.Endpoint, null, token, pin ?? XoThumbprint)
        {
            RequestTimeout = TimeSpan.FromSeconds(5),
            TaskTimeout = TimeSpan.FromSeconds(10),
            Hypervisor = hypervisor ? new HypervisorAccess(Server.Endpoint, XoTestServer.XapiUser, XoTestServer.XapiPassword, XoThumbprint) : null,
        };

    public async Task DisposeAsync()
    {
        _nbd?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        XoCertificate?.Dispose();
        NbdCertificate?.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
