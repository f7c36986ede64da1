using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Web.Features.Progress;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// Tells users their bell changed, once the notifications are saved: the circuits of this node through
/// <see cref="NotificationSignals"/>, and the user's browsers on every node through the progress hub
/// (<c>Clients.User</c>, the signed-in user's id; the Redis backplane carries it across nodes). Only an id goes out,
/// never the text: the bell reads its own rows in its own tenant scope.
/// </summary>
public sealed class NotificationPublisher(NotificationSignals signals, IHubContext<ProgressHub> hub, ILogger<NotificationPublisher> logger)
{
    public const string ChangedMessage = "NotificationsChanged";

    public async Task PublishAsync(IReadOnlyCollection<string> userIds)
    {
        foreach (var userId in userIds)
        {
            await signals.RaiseAsync(userId);
        }

        try
        {
            await hub.Clients.Users(userIds).SendAsync(ChangedMessage);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Count} users' bells could not be told of new notifications; they see them on their next page", userIds.Count);
        }
    }
}
