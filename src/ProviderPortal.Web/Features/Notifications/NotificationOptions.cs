namespace ProviderPortal.Web.Features.Notifications;

/// <summary>Notification settings (section "Notifications").</summary>
public sealed class NotificationOptions
{
    /// <summary>The time zone of provider staff who chose none of their own (an IANA or Windows id).</summary>
    public string StaffTimeZone { get; set; } = "UTC";

    /// <summary>The portal's public address ("https://portal.example"), for links in emails; empty: see <see cref="PortalAddress"/>.</summary>
    public string PortalUrl { get; set; } = "";
}
