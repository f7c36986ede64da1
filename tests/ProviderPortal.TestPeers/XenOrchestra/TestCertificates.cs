using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>Self-signed certificates for 127.0.0.1, made in .NET, as an on-prem XO or XAPI presents them.</summary>
public static class TestCertificates
{
    public static X509Certificate2 Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Kestrel on Linux wants a certificate whose key came from a PKCS#12 import, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Writes the files nbdkit's <c>--tls-certificates=DIR</c> expects (the self-signed certificate is its own CA).</summary>
    public static void WriteNbdkitDirectory(X509Certificate2 certificate, string directory)
    {
        Directory.CreateDirectory(directory);
        var pem = certificate.ExportCertificatePem();
        File.WriteAllText(Path.Combine(directory, "ca-cert.pem"), pem);
        File.WriteAllText(Path.Combine(directory, "server-cert.pem"), pem);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA key.");
        var keyPath = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
