using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Web.Features.Tenants;

/// <summary>The editable form behind <see cref="TenantDetails"/>, with sensible defaults for a new tenant.</summary>
public sealed class TenantFormModel
{
    public string Name { get; set; } = "";

    public string Slug { get; set; } = "";

    public string ContactName { get; set; } = "";

    public string ContactEmail { get; set; } = "";

    public string TimeZoneId { get; set; } = "Europe/Berlin";

    public int MaxConcurrentReplications { get; set; } = 4;

    public int BandwidthCapMbps { get; set; } = 1000;

    public string? FirstAdminEmail { get; set; }

    public static TenantFormModel From(TenantRow row) => new()
    {
        Name = row.Name,
        Slug = row.Slug,
        ContactName = row.ContactName,
        ContactEmail = row.ContactEmail,
        TimeZoneId = row.TimeZoneId,
        MaxConcurrentReplications = row.MaxConcurrentReplications,
        BandwidthCapMbps = row.BandwidthCapMbps,
    };

    public TenantDetails ToDetails() => new(
        Name ?? "", (Slug ?? "").Trim(), ContactName ?? "", (ContactEmail ?? "").Trim(), TimeZoneId ?? "",
        MaxConcurrentReplications, BandwidthCapMbps);
}
