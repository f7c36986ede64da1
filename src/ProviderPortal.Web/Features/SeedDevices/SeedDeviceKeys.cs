using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// Each order's 256-bit device key: made at random by the portal, kept only encrypted with ASP.NET Core Data Protection
/// (keys persisted in the data folder). Decrypted only for the worker that loads the devices and for the ingest; never
/// shown, logged or sent to a browser.
/// </summary>
public sealed class SeedDeviceKeys(IDataProtectionProvider provider)
{
    public const int KeyBytes = 32;

    private readonly IDataProtector _protector = provider.CreateProtector("ProviderPortal.SeedDevices.DeviceKey.v1");

    /// <summary>A new random key, already encrypted: the plain key never leaves this method.</summary>
    public string NewProtectedKey()
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            return _protector.Protect(Convert.ToBase64String(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The key itself, for the loading worker and the ingest (the seam the seed engine plugs into).</summary>
    public byte[] Unprotect(string protectedKey) => Convert.FromBase64String(_protector.Unprotect(protectedKey));
}
