namespace ProviderPortal.Web.Features.Notifications;

/// <summary>What a notification is about: the recipients' preferences are kept per kind.</summary>
public enum NotificationKind
{
    WindowRequested = 0,
    WindowApproved = 1,
    WindowRejected = 2,
    WindowProposed = 3,
    WindowCancelled = 4,
    WindowReminder = 5,
    WindowMissed = 6,
    CutoverStarted = 7,
    CutoverCompleted = 8,
    CutoverRolledBack = 9,
    DeviceOrderRequested = 10,
    DeviceOrderChanged = 11,
    DeviceToShip = 12,
    DeviceToIngest = 13,
}

/// <summary>A calendar invitation sent with the email (an .ics attachment); a cancelled one removes the event.</summary>
/// <param name="Uid">Stable for one window, so an update or cancellation replaces the same event.</param>
/// <param name="Sequence">Grows with every change of the same event.</param>
public sealed record CalendarInvite(Guid Uid, string Summary, string Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Sequence, bool Cancelled = false);

/// <summary>One notification as one recipient reads it: every time in it already written in that recipient's time zone.</summary>
/// <param name="Link">A path inside the portal (e.g. "/windows"), opened from the bell and the email.</param>
public sealed record NotificationText(string Title, string Body, string? Link = null, CalendarInvite? Invite = null);

/// <summary>
/// Tells people what happened: in the portal (the bell, pushed live) and by email through the outbox, as each recipient's
/// preferences say. Call it before the change that caused it is saved: the notifications are added to the same context
/// and saved in the same transaction (never sent for a change that rolled back); the live push happens once they are saved.
/// <paramref name="text"/> is called once per recipient with that recipient's time zone.
/// Recipients never cross tenants: a tenant's notifications reach only that tenant's users.
/// </summary>
public interface INotifier
{
    /// <summary>The TenantAdmins of <paramref name="tenantId"/> (cutover notifications).</summary>
    Task NotifyTenantAdminsAsync(Guid tenantId, NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default);

    /// <summary>Every provider staff member (ProviderAdmin and ProviderOperator): requests to approve, devices to ship.</summary>
    Task NotifyStaffAsync(NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default);
}
