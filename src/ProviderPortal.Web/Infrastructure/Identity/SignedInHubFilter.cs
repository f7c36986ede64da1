using Microsoft.AspNetCore.SignalR;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// For the browsers' hubs (signed in with the portal's cookie): a connection is accepted, and each of its calls run, only
/// while its session is still valid (<see cref="SessionValidator"/>); otherwise the connection is closed. Open connections
/// are registered with <see cref="HubSessions"/>, which checks them again periodically.
/// </summary>
public sealed class SignedInHubFilter(SessionValidator validator, HubSessions sessions) : IHubFilter
{
    public const string SessionEnded = "Your session has ended: sign in again.";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connection = invocationContext.Context;
        if (!await validator.IsValidAsync(connection.User, connection.ConnectionAborted))
        {
            sessions.Remove(connection.ConnectionId);
            connection.Abort();
            throw new HubException(SessionEnded);
        }

        return await next(invocationContext);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        // The cookie itself is only checked again once it is older than the interval: a connection is checked at once.
        if (!await validator.IsValidAsync(context.Context.User, context.Context.ConnectionAborted))
        {
            throw new HubException(SessionEnded);
        }

        sessions.Add(context.Context);
        await next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Remove(context.Context.ConnectionId);
        return next(context, exception);
    }
}
