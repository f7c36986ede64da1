using System.Collections.Concurrent;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// Tells the open bells of one user that their notifications changed, inside this portal node: each circuit subscribes
/// with its own user id and hears only that user. <see cref="NotificationPublisher"/> raises it after the save and also
/// sends it through the progress hub to the user's browsers on every node (the Redis backplane).
/// </summary>
public sealed class NotificationSignals
{
    private readonly ConcurrentDictionary<string, ImmutableHandlers> _handlers = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="changed"/> whenever the user's notifications change; dispose to stop.</summary>
    public IDisposable Subscribe(string userId, Func<Task> changed)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        _handlers.AddOrUpdate(userId, _ => new ImmutableHandlers([changed]), (_, list) => new ImmutableHandlers([.. list.Items, changed]));
        return new Subscription(this, userId, changed);
    }

    /// <summary>Runs the user's handlers; one failing handler (a closed circuit) never stops the others.</summary>
    public async Task RaiseAsync(string userId)
    {
        if (!_handlers.TryGetValue(userId, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Items)
        {
            try
            {
                await handler();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
            {
                // The circuit went away between the lookup and the call.
            }
        }
    }

    private void Unsubscribe(string userId, Func<Task> changed)
    {
        while (_handlers.TryGetValue(userId, out var list))
        {
            var rest = list.Items.Where(h => h != changed).ToArray();
            var done = rest.Length == 0
                ? _handlers.TryRemove(new KeyValuePair<string, ImmutableHandlers>(userId, list))
                : _handlers.TryUpdate(userId, new ImmutableHandlers(rest), list);
            if (done)
            {
                return;
            }
        }
    }

    private sealed record ImmutableHandlers(Func<Task>[] Items);

    private sealed class Subscription(NotificationSignals owner, string userId, Func<Task> changed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(userId, changed);
            }
        }
    }
}
