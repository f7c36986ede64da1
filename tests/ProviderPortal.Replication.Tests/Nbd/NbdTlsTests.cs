using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

/// <summary>STARTTLS against nbdkit --tls=require with a certificate made here and pinned by SHA-256.</summary>
public sealed class NbdTlsTests : IDisposable
{
    private const int MiB = 1024 * 1024;

    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ConnectAsync_PinnedCertificate_ReadsAndWritesOverTls()
    {
        var fingerprint = WriteCertificates();
        await using var peer = await NbdPeer.StartNbdkitTcpAsync(_folder, "--tls=require", $"--tls-certificates={_folder}", "memory", "4M");
        var options = new BlockDeviceOpenOptions { Writable = true, PinnedCertificateSha256 = fingerprint, Connections = 2 };

        await using var device = await NbdDevice.ConnectAsync(peer.Uri, options, default);
        var data = new byte[MiB];
        new Random(4).NextBytes(data);
        await device.WriteAsync(MiB, data, default);
        var back = new byte[MiB];
        await device.ReadAsync(MiB, back, default);

        Assert.Equal(4 * MiB, device.Size);
        Assert.Equal(2, device.ConnectionCount);
        Assert.Equal(data, back);
    }

    [Fact]
    public async Task ConnectAsync_OtherCertificate_IsRefusedNamingBothFingerprints()
    {
        var fingerprint = WriteCertificates();
        await using var peer = await NbdPeer.StartNbdkitTcpAsync(_folder, "--tls=require", $"--tls-certificates={_folder}", "memory", "4M");
        var wrong = new string('A', 64);

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() =>
            NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions { PinnedCertificateSha256 = wrong }, default));

        Assert.Contains(fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Contains($"not the pinned {wrong}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_TlsRequiredWithoutPin_SaysTlsIsRequired()
    {
        WriteCertificates();
        await using var peer = await NbdPeer.StartNbdkitTcpAsync(_folder, "--tls=require", $"--tls-certificates={_folder}", "memory", "4M");

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => NbdDevice.ConnectAsync(peer.Uri, new BlockDeviceOpenOptions(), default));

        Assert.Contains("requires TLS", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A self-signed server certificate as nbdkit reads it (ca-cert.pem, server-cert.pem, server-key.pem); returns its SHA-256.</summary>
    private string WriteCertificates()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = certificate.ExportCertificatePem();
        File.WriteAllText(Path.Combine(_folder, "ca-cert.pem"), pem);
        File.WriteAllText(Path.Combine(_folder, "server-cert.pem"), pem);
        File.WriteAllText(Path.Combine(_folder, "server-key.pem"), key.ExportPkcs8PrivateKeyPem());
        return Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }
}
