using System.Collections.Concurrent;
using ProviderPortal.Web.Features.Notifications;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// Records what the portal asks <see cref="INotifier"/> to tell, with each text rendered in <see cref="Zone"/> (a zone
/// far from UTC, so a time written in the wrong zone shows). The real notifier is tested by its own feature.
/// </summary>
public sealed class RecordingNotifier : INotifier
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    private readonly ConcurrentQueue<RecordedNotification> _sent = new();

    public IReadOnlyList<RecordedNotification> Sent => [.. _sent];

    public Task NotifyTenantAdminsAsync(Guid tenantId, NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(new RecordedNotification(tenantId, kind, text(Zone)));
        return Task.CompletedTask;
    }

    public Task NotifyStaffAsync(NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue(new RecordedNotification(null, kind, text(Zone)));
        return Task.CompletedTask;
    }
}

/// <param name="TenantId">The tenant whose administrators are told; null for provider staff.</param>
public sealed record RecordedNotification(Guid? TenantId, NotificationKind Kind, NotificationText Text);
