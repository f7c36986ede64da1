using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProviderPortal.Connectors.Common;

/// <summary>Certificate thumbprints as vSphere prints them: uppercase hex pairs joined by colons.</summary>
public static class Thumbprints
{
    public static string Sha256(X509Certificate2 certificate) => Format(SHA256.HashData(certificate.RawData));

    public static string Sha1(X509Certificate2 certificate) =>
#pragma warning disable CA5350 // SHA-1 only names the certificate the way vSphere and nbdkit's vddk do; SHA-256 is what is pinned.
        Format(SHA1.HashData(certificate.RawData));
#pragma warning restore CA5350

    /// <summary>
    /// True when <paramref name="pin"/> names this certificate, as SHA-256 or SHA-1, with or without colons,
    /// in any case (what a user pastes from vSphere or openssl).
    /// </summary>
    public static bool Matches(X509Certificate2 certificate, string? pin)
    {
        if (string.IsNullOrWhiteSpace(pin))
        {
            return false;
        }

        var normalized = Normalize(pin);
        return normalized.Length switch
        {
            64 => string.Equals(normalized, Normalize(Sha256(certificate)), StringComparison.Ordinal),
            40 => string.Equals(normalized, Normalize(Sha1(certificate)), StringComparison.Ordinal),
            _ => false,
        };
    }

    private static string Normalize(string thumbprint) =>
        new([.. thumbprint.Where(Uri.IsHexDigit).Select(char.ToUpperInvariant)]);

    private static string Format(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
