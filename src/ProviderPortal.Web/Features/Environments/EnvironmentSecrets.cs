using Microsoft.AspNetCore.DataProtection;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>
/// Encrypts environment passwords and tokens at rest with ASP.NET Core Data Protection (keys persisted in the
/// data folder). Decrypted only to connect; never shown back, never logged.
/// </summary>
public sealed class EnvironmentSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ProviderPortal.Environments.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
