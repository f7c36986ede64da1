namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>
/// Reads the certificate an endpoint presents, sending nothing else (no credentials), so a user can decide
/// to trust it before the first login: trust on first use, explicit.
/// </summary>
public interface ICertificateProbe
{
    Task<CertificateInfo> GetCertificateAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken);
}
