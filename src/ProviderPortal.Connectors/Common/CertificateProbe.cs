using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Common;

/// <summary>Opens a TLS connection, reads the server's certificate and closes: no HTTP request, no credential.</summary>
public sealed class CertificateProbe : ICertificateProbe
{
    public async Task<CertificateInfo> GetCertificateAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        X509Certificate2? presented = null;
        var chainTrusted = false;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, limit.Token);
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = endpoint.Host,
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        if (certificate is not null)
                        {
                            // A copy: the handshake disposes the certificate it hands to this callback.
                            presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                            chainTrusted = errors == SslPolicyErrors.None;
                        }

                        // Accepted only to read it: nothing is sent over this connection.
                        return true;
                    },
                },
                limit.Token);
        }
        catch (Exception ex) when (ex is not ConnectorException && !cancellationToken.IsCancellationRequested)
        {
            throw ConnectorFailures.From(ex, endpoint);
        }

        if (presented is null)
        {
            throw new ConnectorException(ConnectorErrorKind.TlsFailure, $"{endpoint.Host}:{endpoint.Port} presented no certificate.");
        }

        return new CertificateInfo(
            presented.Subject,
            presented.Issuer,
            presented.NotBefore.ToUniversalTime(),
            presented.NotAfter.ToUniversalTime(),
            Thumbprints.Sha256(presented),
            Thumbprints.Sha1(presented),
            chainTrusted);
    }
}
