namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>
/// The certificate a server presented. <see cref="Thumbprint"/> is SHA-256 of the DER bytes as uppercase hex
/// pairs joined by colons; <see cref="Sha1Thumbprint"/> is the form vSphere shows (and nbdkit's vddk wants).
/// </summary>
public sealed record CertificateInfo(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Thumbprint, string Sha1Thumbprint, bool ChainTrusted);
