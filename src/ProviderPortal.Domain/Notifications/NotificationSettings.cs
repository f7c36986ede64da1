namespace ProviderPortal.Domain.Notifications;

/// <summary>
/// One user's choices: which kinds of notification reach the bell and the mailbox (everything does unless switched off),
/// and the time zone the user reads times in (none: the tenant's, or for staff the provider's).
/// </summary>
public sealed class NotificationSettings
{
    private NotificationSettings()
    {
    }

    public string UserId { get; private set; } = "";

    /// <summary>The user's tenant; null for provider staff.</summary>
    public Guid? TenantId { get; private set; }

    /// <summary>An IANA or Windows time zone id, or null to use the default.</summary>
    public string? TimeZoneId { get; private set; }

    /// <summary>The kinds (their stable numbers) not shown in the bell.</summary>
    public List<int> InAppOff { get; private set; } = [];

    /// <summary>The kinds (their stable numbers) not sent by email.</summary>
    public List<int> EmailOff { get; private set; } = [];

    public static NotificationSettings For(string userId, Guid? tenantId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new DomainException("Settings belong to a user.");
        }

        return new NotificationSettings { UserId = userId, TenantId = tenantId };
    }

    public bool WantsInApp(int kind) => !InAppOff.Contains(kind);

    public bool WantsEmail(int kind) => !EmailOff.Contains(kind);

    public void Choose(int kind, bool inApp, bool email)
    {
        InAppOff = Toggle(InAppOff, kind, off: !inApp);
        EmailOff = Toggle(EmailOff, kind, off: !email);
    }

    /// <summary>Sets the user's own time zone; null or empty goes back to the default.</summary>
    public void UseTimeZone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            TimeZoneId = null;
            return;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId.Trim(), out _))
        {
            throw new DomainException($"\"{timeZoneId}\" is not a time zone this server knows.");
        }

        TimeZoneId = timeZoneId.Trim();
    }

    // A new list each time, so the change tracker sees the column change.
    private static List<int> Toggle(List<int> kinds, int kind, bool off) =>
        off ? kinds.Append(kind).Distinct().Order().ToList() : kinds.Where(k => k != kind).ToList();
}
