using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Invitations;

/// <summary>The portal with the invitation expiry job running every second.</summary>
public sealed class FastExpiryPortalFactory : PortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Invitations:ExpiryCheckSeconds"] = "1",
    };
}
