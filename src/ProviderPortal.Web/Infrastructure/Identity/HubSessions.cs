using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// The browsers' hub connections on this node, checked again like open pages: every <see cref="SessionValidator.Period"/>
/// each connection's user is validated, and a connection whose session ended (removed member, new security stamp,
/// suspended tenant) is closed; SignalR then takes it out of its groups. This catches connections that only receive;
/// <see cref="SignedInHubFilter"/> checks every call and every new connection. A suspension on this node closes its
/// tenant's connections here at once (<see cref="CloseTenant"/>); other nodes close theirs at their next check.
/// </summary>
public sealed partial class HubSessions(SessionValidator validator, TimeProvider clock, ILogger<HubSessions> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Closes this node's connections of the tenant's users (after its suspension was saved).</summary>
    public void CloseTenant(Guid tenantId)
    {
        var claim = tenantId.ToString();
        foreach (var connection in _connections.Values.Where(c => c.User?.FindFirstValue(TenantScope.TenantClaimType) == claim))
        {
            Close(connection);
        }
    }

    /// <summary>One round of checks: each distinct sign-in (user and security stamp) is validated once.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var signIn in _connections.Values.GroupBy(SignInOf))
        {
            if (!await validator.IsValidAsync(signIn.First().User, cancellationToken))
            {
                foreach (var connection in signIn)
                {
                    Close(connection);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(validator.Period, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database away for a moment is no reason to drop every browser: the next round checks again.
                LogCheckFailed(logger, ex.Message);
            }
        }
    }

    private static string SignInOf(HubCallerContext connection) =>
        $"{connection.UserIdentifier}|{connection.User?.FindFirstValue(new Microsoft.AspNetCore.Identity.ClaimsIdentityOptions().SecurityStampClaimType)}";

    private void Close(HubCallerContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out _))
        {
            LogClosed(logger, connection.ConnectionId, connection.UserIdentifier);
            connection.Abort();
        }
    }

    [LoggerMessage(LogLevel.Information, "Closed hub connection {ConnectionId} of user {UserId}: the session ended")]
    private static partial void LogClosed(ILogger logger, string connectionId, string? userId);

    [LoggerMessage(LogLevel.Warning, "Hub connections could not be checked this round: {Error}")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
