using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Notifications;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// The signed-in user's own notifications and choices, for the bell and the notifications page. Every query is by the
/// user's id within the scope's tenant filter: nobody reads or marks another user's rows. No signed-in user: nothing.
/// Each call uses a context of its own: the bell refreshes while the page's components use the circuit's context.
/// </summary>
public sealed class NotificationCenter(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenant, AuthenticationStateProvider authentication, NotificationPublisher publisher, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const int BellSize = 10;

    /// <summary>The signed-in user's id, or null.</summary>
    public async Task<string?> UserIdAsync()
    {
        try
        {
            var state = await authentication.GetAuthenticationStateAsync();
            return state.User.Identity?.IsAuthenticated == true ? state.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The zone the user reads times in: their own choice, else <see cref="DefaultTimeZoneAsync"/>.</summary>
    public async Task<TimeZoneInfo> TimeZoneAsync(CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is { } me)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var own = await db.NotificationSettings.Where(s => s.UserId == me).Select(s => s.TimeZoneId).SingleOrDefaultAsync(cancellationToken);
            if (own is not null && TimeZoneInfo.TryFindSystemTimeZoneById(own, out var zone))
            {
                return zone;
            }
        }

        return await DefaultTimeZoneAsync(cancellationToken);
    }

    /// <summary>The zone of a user with none of their own: their tenant's, or for staff Notifications:StaffTimeZone.</summary>
    public async Task<TimeZoneInfo> DefaultTimeZoneAsync(CancellationToken cancellationToken = default)
    {
        var id = options.Value.StaffTimeZone;
        if (tenant.TenantId is { } tenantId)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            id = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZoneId).SingleOrDefaultAsync(cancellationToken) ?? "UTC";
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return 0;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Mine(db, me).CountAsync(n => n.ReadAt == null, cancellationToken);
    }

    /// <summary>The newest first; <paramref name="take"/> of them.</summary>
    public async Task<IReadOnlyList<Notification>> RecentAsync(int take = BellSize, CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Mine(db, me).AsNoTracking().OrderByDescending(n => n.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
    }

    public async Task MarkReadAsync(Guid notificationId, CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var notification = await Mine(db, me).SingleOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        if (notification is null || notification.IsRead)
        {
            return;
        }

        notification.MarkRead(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await publisher.PublishAsync([me]);
    }

    public async Task MarkAllReadAsync(CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unread = await Mine(db, me).Where(n => n.ReadAt == null).ToListAsync(cancellationToken);
        if (unread.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        unread.ForEach(n => n.MarkRead(now));
        await db.SaveChangesAsync(cancellationToken);
        await publisher.PublishAsync([me]);
    }

    /// <summary>The user's choices, or the defaults (everything on, no zone of one's own).</summary>
    public async Task<NotificationChoices?> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == me, cancellationToken);
        var kinds = Enum.GetValues<NotificationKind>()
            .Select(k => new KindChoice(k, settings?.WantsInApp((int)k) ?? true, settings?.WantsEmail((int)k) ?? true))
            .ToList();
        return new NotificationChoices(kinds, settings?.TimeZoneId);
    }

    public async Task<ServiceResult> SaveChoicesAsync(NotificationChoices choices, CancellationToken cancellationToken = default)
    {
        if (await UserIdAsync() is not { } me)
        {
            return ServiceResult.Fail("Sign in to change your notifications.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settings = await db.NotificationSettings.SingleOrDefaultAsync(s => s.UserId == me, cancellationToken);
        if (settings is null)
        {
            settings = Domain.Notifications.NotificationSettings.For(me, tenant.TenantId);
            db.NotificationSettings.Add(settings);
        }

        try
        {
            settings.UseTimeZone(choices.TimeZoneId);
        }
        catch (DomainException ex)
        {
            return ServiceResult.Fail(ex.Message, nameof(NotificationChoices.TimeZoneId));
        }

        foreach (var choice in choices.Kinds.Where(c => Enum.IsDefined(c.Kind)))
        {
            settings.Choose((int)choice.Kind, choice.InApp, choice.Email);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ServiceResult.Ok;
    }

    private static IQueryable<Notification> Mine(PortalDbContext db, string userId) => db.Notifications.Where(n => n.RecipientUserId == userId);
}
