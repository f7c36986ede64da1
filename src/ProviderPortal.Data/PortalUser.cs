using Microsoft.AspNetCore.Identity;

namespace ProviderPortal.Data;

/// <summary>A person who signs in. Tenant users carry their tenant; provider staff have none.</summary>
public sealed class PortalUser : IdentityUser
{
    public Guid? TenantId { get; set; }

    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
