using System.Security.Cryptography;
using System.Text;

namespace ProviderPortal.Domain.Invitations;

/// <summary>
/// The secret in an invitation link. Only its SHA-256 hash is stored, so a copy of the database
/// cannot be used to accept an invitation.
/// </summary>
public static class InvitationToken
{
    public static string Create() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
