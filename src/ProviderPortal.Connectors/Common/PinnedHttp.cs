using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Common;

/// <summary>
/// HTTP clients that talk only to the server whose certificate the user trusted. The pin replaces the
/// chain check (on-prem vCenter and XO certificates are self-signed): a server presenting any other
/// certificate is refused before a byte of the request (or a credential) is sent.
/// </summary>
public static class PinnedHttp
{
    /// <summary>
    /// A handler that accepts only the pinned certificate. <paramref name="presented"/> receives the certificate
    /// each handshake saw, so a mismatch can be reported with the thumbprint the server showed.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(string? trustedThumbprint, Action<X509Certificate2>? presented = null, bool useCookies = true)
    {
        if (string.IsNullOrWhiteSpace(trustedThumbprint))
        {
            throw new ConnectorException(ConnectorErrorKind.CertificateMismatch, "The server's certificate has not been trusted yet: test the connection and trust it first.");
        }

        return new SocketsHttpHandler
        {
            UseCookies = useCookies,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    // A copy: the handshake disposes the certificate it hands to this callback.
                    var cert = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    presented?.Invoke(cert);
                    return Thumbprints.Matches(cert, trustedThumbprint);
                },
            },
        };
    }
}
