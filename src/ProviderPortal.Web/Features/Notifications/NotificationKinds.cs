namespace ProviderPortal.Web.Features.Notifications;

/// <summary>The kinds in plain words, for the preferences page.</summary>
public static class NotificationKinds
{
    public static string Describe(NotificationKind kind) => kind switch
    {
        NotificationKind.WindowRequested => "A maintenance window is requested",
        NotificationKind.WindowApproved => "A maintenance window is approved",
        NotificationKind.WindowRejected => "A maintenance window is rejected",
        NotificationKind.WindowProposed => "Another time is proposed for a window",
        NotificationKind.WindowCancelled => "A maintenance window is cancelled",
        NotificationKind.WindowReminder => "Reminder before a window",
        NotificationKind.WindowMissed => "A window was missed",
        NotificationKind.CutoverStarted => "A cutover started",
        NotificationKind.CutoverCompleted => "A cutover completed",
        NotificationKind.CutoverRolledBack => "A cutover was rolled back",
        NotificationKind.DeviceOrderRequested => "A seed device is ordered",
        NotificationKind.DeviceOrderChanged => "A seed device order changed",
        NotificationKind.DeviceToShip => "A seed device is ready to ship",
        NotificationKind.DeviceToIngest => "A seed device is back to ingest",
        _ => kind.ToString(),
    };

    /// <summary>A time as the user reads it: "3 Dec 2026 21:40".</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
