namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// A notification's link in words, for an email that cannot carry an address: which menu entry to choose. The menu's
/// names, as the navigation shows them.
/// </summary>
public static class PortalPages
{
    /// <summary>"Open ProviderPortal and choose Cutover windows." for "/windows".</summary>
    public static string WhereTo(string link)
    {
        var path = link.Split('?', '#')[0].TrimEnd('/');
        return path switch
        {
            "/windows" or "/provider/windows" => "Open ProviderPortal and choose Cutover windows.",
            "/seed-devices" => "Open ProviderPortal and choose Seed devices.",
            "/provider/seed-devices/orders" => "Open ProviderPortal and choose Device orders.",
            "/provider/replication" => "Open ProviderPortal and choose Replication.",
            "/notifications" => "Open ProviderPortal and choose the bell.",
            _ when path.StartsWith("/plans/", StringComparison.Ordinal) => "Open ProviderPortal, choose Migration plans and open the plan named above.",
            _ when path.StartsWith("/assessments/", StringComparison.Ordinal) => "Open ProviderPortal, choose Assessments and open the assessment named above.",
            _ => "Open ProviderPortal to see it.",
        };
    }
}
