using System.Globalization;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Web.Features.Notifications;

namespace ProviderPortal.Web.Features.Windows;

/// <summary>What people are told about windows and cutovers, every time written in the recipient's zone.</summary>
public static class WindowTexts
{
    public const string TenantLink = "/windows";
    public const string StaffLink = "/provider/windows";

    public static string When(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";

    public static string Span(DateTimeOffset startsAt, DateTimeOffset endsAt, TimeZoneInfo zone)
    {
        var start = TimeZoneInfo.ConvertTime(startsAt, zone);
        var end = TimeZoneInfo.ConvertTime(endsAt, zone);
        var endText = end.Date == start.Date ? end.ToString("HH:mm", CultureInfo.InvariantCulture) : end.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        return $"{start.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} to {endText} ({zone.Id})";
    }

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes:00} min" : span.TotalMinutes >= 1 ? $"{Math.Ceiling(span.TotalMinutes):0} min" : $"{span.TotalSeconds:0.#} s";

    public static NotificationText Requested(string plan, MaintenanceWindow w, string by, TimeZoneInfo zone) =>
        new($"Cutover window requested for {plan}", $"{by} asked for a cutover window for {plan}: {Span(w.StartsAt, w.EndsAt, zone)}. The provider's staff will approve it or propose another time.", TenantLink);

    /// <summary>An approved window moved: it waits for approval again, so the calendar event sent when it was approved is withdrawn.</summary>
    public static NotificationText Moved(string plan, MaintenanceWindow w, string by, TimeZoneInfo zone) =>
        new($"Cutover window moved for {plan}",
            $"{by} moved the approved cutover window for {plan} to {Span(w.StartsAt, w.EndsAt, zone)}. It waits for the provider's approval again; the calendar event is withdrawn until then.",
            TenantLink,
            Invite(plan, w, cancelled: true));

    /// <summary>A request nobody approved before its start: it lapsed. No invitation was ever sent for it.</summary>
    public static NotificationText Expired(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Cutover window request lapsed for {plan}", $"The window {Span(w.StartsAt, w.EndsAt, zone)} for {plan} started before the provider approved it, so no cutover ran. Book another window.", TenantLink);

    public static NotificationText RequestedForStaff(string tenant, string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Window to approve: {tenant}, {plan}", $"{tenant} asks for a cutover window for {plan}: {Span(w.StartsAt, w.EndsAt, zone)}.", StaffLink);

    public static NotificationText Approved(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Cutover window approved for {plan}",
            $"The cutover of {plan} is approved for {Span(w.StartsAt, w.EndsAt, zone)}. It starts by itself at the window's start; the calendar invitation is attached.",
            TenantLink,
            Invite(plan, w, cancelled: false));

    public static NotificationText Rejected(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Cutover window rejected for {plan}", $"The window {Span(w.StartsAt, w.EndsAt, zone)} for {plan} was rejected: {w.Reason} Book another time.", TenantLink);

    public static NotificationText Proposed(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Another time proposed for {plan}",
            $"The provider's staff propose {Span(w.ProposedStartsAt!.Value, w.ProposedEndsAt!.Value, zone)} instead of {Span(w.StartsAt, w.EndsAt, zone)} for the cutover of {plan}. Accept it or move the window.",
            TenantLink);

    public static NotificationText Cancelled(string plan, MaintenanceWindow w, string by, TimeZoneInfo zone) =>
        new($"Cutover window cancelled for {plan}", $"{by} cancelled the window {Span(w.StartsAt, w.EndsAt, zone)} for {plan}: {w.Reason}", TenantLink, Invite(plan, w, cancelled: true));

    public static NotificationText CancelledWithPlan(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Cutover window cancelled for {plan}", $"The plan {plan} was cancelled, and its approved window {Span(w.StartsAt, w.EndsAt, zone)} with it.", TenantLink, Invite(plan, w, cancelled: true));

    public static NotificationText CancelledForStaff(string tenant, string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Window cancelled: {tenant}, {plan}", $"{tenant} cancelled the window {Span(w.StartsAt, w.EndsAt, zone)} for {plan}: {w.Reason}", StaffLink);

    public static NotificationText Reminder(string plan, MaintenanceWindow w, DateTimeOffset now, TimeZoneInfo zone) =>
        new($"Cutover of {plan} in {Duration(w.StartsAt - now)}",
            $"The cutover of {plan} starts {When(w.StartsAt, zone)}, in {Duration(w.StartsAt - now)}; the window ends {When(w.EndsAt, zone)}." +
            (w.AtRiskReason is { } risk ? $" At risk: {risk}" : ""),
            TenantLink);

    public static NotificationText Missed(string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Cutover window missed for {plan}", $"The window {Span(w.StartsAt, w.EndsAt, zone)} for {plan} passed without a cutover: {w.Reason} Book another window.", TenantLink, Invite(plan, w, cancelled: true));

    public static NotificationText MissedForStaff(string tenant, string plan, MaintenanceWindow w, TimeZoneInfo zone) =>
        new($"Window missed: {tenant}, {plan}", $"The window {Span(w.StartsAt, w.EndsAt, zone)} for {plan} of {tenant} passed without a cutover: {w.Reason}", StaffLink);

    public static NotificationText CutoverStarted(string plan, Guid planId, string by, DateTimeOffset at, TimeZoneInfo zone) =>
        new($"Cutover of {plan} started", $"The cutover of {plan} started {When(at, zone)} ({by}). The source VMs are being stopped for the final copy.", $"/plans/{planId}");

    /// <summary>Staff started the cutover before its approved window: the window will not happen, so its calendar event is withdrawn.</summary>
    public static NotificationText WithdrawnByEarlierCutover(string plan, MaintenanceWindow w, string by, DateTimeOffset at, TimeZoneInfo zone) =>
        new($"Cutover window withdrawn for {plan}",
            $"{by} started the cutover of {plan} {When(at, zone)}, before its approved window {Span(w.StartsAt, w.EndsAt, zone)}. The window is withdrawn and its calendar event cancelled.",
            TenantLink,
            Invite(plan, w, cancelled: true));

    /// <summary>A cutover started by hand (not by its window's clock): staff see who started it and what became of the window.</summary>
    public static NotificationText CutoverStartedByHandForStaff(string tenant, string plan, Guid planId, string by, DateTimeOffset at, MaintenanceWindow? skipped, TimeZoneInfo zone) =>
        new($"Cutover started by hand: {tenant}, {plan}",
            $"{by} started the cutover of {plan} of {tenant} {When(at, zone)}" +
            (skipped is null ? "." : $", before its approved window {Span(skipped.StartsAt, skipped.EndsAt, zone)}, which is withdrawn."),
            $"/plans/{planId}");

    public static NotificationText CutoverCompleted(string plan, Guid planId, DateTimeOffset at, IReadOnlyList<(string Vm, TimeSpan Downtime)> downtimes, long bytes, TimeZoneInfo zone) =>
        new($"Cutover of {plan} completed",
            $"The cutover of {plan} completed {When(at, zone)}. Downtime: " +
            (downtimes.Count == 0 ? "not measured" : string.Join(", ", downtimes.Select(d => $"{d.Vm} {Duration(d.Downtime)}"))) +
            $". Moved in all: {Bytes(bytes)}.",
            $"/plans/{planId}");

    public static NotificationText CutoverRolledBack(string plan, Guid planId, DateTimeOffset at, string reason, TimeZoneInfo zone) =>
        new($"Cutover of {plan} rolled back",
            $"The cutover of {plan} was rolled back {When(at, zone)}; the source VMs run again and nothing was lost. Why: {reason}",
            $"/plans/{planId}");

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>The window as a calendar event: one UID per window, a sequence that grows with each change.</summary>
    private static CalendarInvite Invite(string plan, MaintenanceWindow w, bool cancelled) =>
        new(w.Id, $"Cutover of {plan}", $"Cutover window of the migration plan {plan} (ProviderPortal).", w.StartsAt, w.EndsAt,
            Sequence(w), cancelled);

    /// <summary>Seconds from 2020 to the window's latest change: grows with every change and fits an iCalendar SEQUENCE for decades.</summary>
    private static int Sequence(MaintenanceWindow w)
    {
        var latest = new[] { w.RequestedAt, w.DecidedAt ?? w.RequestedAt, w.EndedAt ?? w.RequestedAt }.Max();
        return (int)Math.Clamp((latest - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds, 0, int.MaxValue);
    }
}
