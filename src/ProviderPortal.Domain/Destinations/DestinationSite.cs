using System.Text;

namespace ProviderPortal.Domain.Destinations;

/// <summary>
/// A place in the provider's cloud that migrated VMs land in, configured by a ProviderAdmin and offered to every tenant.
/// Each tenant's disks live apart: under <c>root/tenant-id/</c> (local storage), or in exports named with the tenant (NBD).
/// </summary>
public sealed class DestinationSite
{
    private DestinationSite()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public DestinationKind Kind { get; private set; }

    /// <summary>The root folder (local storage) or the URI template (NBD); see <see cref="DestinationDetails"/>.</summary>
    public string Location { get; private set; } = "";

    public List<string> Networks { get; private set; } = [];

    /// <summary>A retired site takes no new plans; plans already on it keep going.</summary>
    public bool Retired { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static DestinationSite Create(DestinationDetails details, DateTimeOffset now)
    {
        ThrowIfInvalid(details);
        var site = new DestinationSite { Id = Guid.NewGuid(), CreatedAt = now };
        site.Apply(details);
        return site;
    }

    public void Update(DestinationDetails details)
    {
        ThrowIfInvalid(details);
        if (details.Kind != Kind)
        {
            throw new DomainException("The kind of a destination cannot change: add a new destination instead.");
        }

        Apply(details);
    }

    public void Retire() => Retired = true;

    public void Reinstate() => Retired = false;

    public DestinationDetails ToDetails() => new(Name, Kind, Location, Networks);

    /// <summary>The folder a tenant's worker may write to on a local-storage site; null for NBD sites.</summary>
    public string? TenantRoot(Guid tenantId) =>
        Kind == DestinationKind.LocalStorage ? Path.Combine(Location, tenantId.ToString("N")) : null;

    /// <summary>Where one disk of one VM of a plan is written: a file under the tenant's root, or an NBD URI.</summary>
    public string TargetFor(Guid tenantId, Guid planId, string vmId, string diskKey)
    {
        if (Kind == DestinationKind.LocalStorage)
        {
            return Path.Combine(TenantRoot(tenantId)!, planId.ToString("N"), SafeName(vmId), SafeName(diskKey) + ".img");
        }

        return Location
            .Replace("{tenant}", tenantId.ToString("N"), StringComparison.Ordinal)
            .Replace("{plan}", planId.ToString("N"), StringComparison.Ordinal)
            .Replace("{vm}", Uri.EscapeDataString(SafeName(vmId)), StringComparison.Ordinal)
            .Replace("{disk}", Uri.EscapeDataString(SafeName(diskKey)), StringComparison.Ordinal);
    }

    /// <summary>Platform ids made safe as one path segment: letters, digits, '-', '_' and '.' stay, anything else becomes '_'.</summary>
    public static string SafeName(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : c == '.' && builder.Length > 0 ? '.' : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    private void Apply(DestinationDetails details)
    {
        Name = details.Name.Trim();
        Kind = details.Kind;
        Location = details.Location.Trim();
        Networks = [.. details.Networks.Select(n => n.Trim())];
    }

    private static void ThrowIfInvalid(DestinationDetails details)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }
    }
}
