namespace ProviderPortal.Domain;

/// <summary>
/// An entity that belongs to exactly one tenant. The data layer filters every query on it by the
/// current tenant and stamps <see cref="TenantId"/> on insert; nothing else should set it.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
