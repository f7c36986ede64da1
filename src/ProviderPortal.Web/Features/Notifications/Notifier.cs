using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Notifications;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Email;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// The <see cref="INotifier"/> of one scope: adds the bell's rows and the outbox's emails to the scope's context, to be
/// saved with the caller's change, and tells the recipients' bells once that save went through.
/// Recipients are looked up past the tenant filter on purpose (a tenant user's context cannot see staff accounts), by
/// tenant and role only, reading just id, email and settings; a tenant's notification goes to that tenant's users only.
/// </summary>
public sealed class Notifier(
    PortalDbContext db,
    ITenantContext tenant,
    NotificationPublisher publisher,
    IOptions<NotificationOptions> options,
    PortalAddress portal,
    IOptions<EmailOptions> email,
    TimeProvider clock,
    ILogger<Notifier> logger) : INotifier
{
    private static readonly string[] StaffRoles = [PortalRoles.ProviderAdmin, PortalRoles.ProviderOperator];
    private static readonly string[] TenantAdminRoles = [PortalRoles.TenantAdmin];

    private readonly List<Notification> _unsaved = [];
    private bool _listening;

    public async Task NotifyTenantAdminsAsync(Guid tenantId, NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!tenant.CanSeeAllTenants && tenant.TenantId != tenantId)
        {
            throw new TenantIsolationException("Another tenant's administrators cannot be notified from this tenant.");
        }

        var tenantZone = await db.Tenants.IgnoreQueryFilters([TenantModel.FilterName])
            .Where(t => t.Id == tenantId).Select(t => t.TimeZoneId).SingleOrDefaultAsync(cancellationToken);
        if (tenantZone is null)
        {
            logger.LogWarning("Notification {Kind} names tenant {TenantId}, which does not exist; nobody was notified", kind, tenantId);
            return;
        }

        var recipients = await RecipientsAsync(tenantId, TenantAdminRoles, cancellationToken);
        Add(recipients, tenantId, kind, text, ZoneOrUtc(tenantZone));
    }

    public async Task NotifyStaffAsync(NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!tenant.CanSeeAllTenants && tenant.TenantId is null)
        {
            throw new TenantIsolationException("Staff can be notified only by a signed-in user or a job.");
        }

        var recipients = await RecipientsAsync(null, StaffRoles, cancellationToken);

        // A staff member's row keeps the tenant it is about (the one acting), so it is saved within that tenant's scope.
        Add(recipients, tenant.TenantId, kind, text, ZoneOrUtc(options.Value.StaffTimeZone));
    }

    private async Task<List<Recipient>> RecipientsAsync(Guid? tenantId, string[] roles, CancellationToken cancellationToken)
    {
        // Only PortalUser's tenant filter is lifted, and only here: the users are picked by tenant (staff: none) and role.
        var roleIds = db.Roles.Where(r => roles.Contains(r.Name!)).Select(r => r.Id);
        var users = await db.Users.IgnoreQueryFilters([TenantModel.FilterName])
            .Where(u => tenantId == null ? u.TenantId == null : u.TenantId == tenantId)
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && roleIds.Contains(ur.RoleId)))
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(cancellationToken);
        var ids = users.Select(u => u.Id).ToList();
        var settings = await db.NotificationSettings.IgnoreQueryFilters([TenantModel.FilterName]).AsNoTracking()
            .Where(s => ids.Contains(s.UserId))
            .ToDictionaryAsync(s => s.UserId, cancellationToken);
        return users.OrderBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new Recipient(u.Id, u.Email, settings.GetValueOrDefault(u.Id)))
            .ToList();
    }

    private void Add(List<Recipient> recipients, Guid? rowTenantId, NotificationKind kind, Func<TimeZoneInfo, NotificationText> text, TimeZoneInfo defaultZone)
    {
        var now = clock.GetUtcNow();
        var number = (int)kind;
        foreach (var recipient in recipients)
        {
            var inApp = recipient.Settings?.WantsInApp(number) ?? true;
            var byEmail = (recipient.Settings?.WantsEmail(number) ?? true) && EmailAddress.IsValid(recipient.Email ?? "");
            if (!inApp && !byEmail)
            {
                continue;
            }

            var zone = recipient.Settings?.TimeZoneId is { } own && TimeZoneInfo.TryFindSystemTimeZoneById(own, out var chosen) ? chosen : defaultZone;
            var written = text(zone);
            if (inApp)
            {
                var notification = Notification.Create(rowTenantId, recipient.UserId, number, written.Title, written.Body, written.Link, now);
                db.Notifications.Add(notification);
                _unsaved.Add(notification);
            }

            if (byEmail)
            {
                AddEmail(recipient.Email!, rowTenantId, written, now);
            }
        }

        ListenForSave();
    }

    private void AddEmail(string to, Guid? rowTenantId, NotificationText written, DateTimeOffset now)
    {
        var bodyHtml = $"<p>{WebUtility.HtmlEncode(written.Body).ReplaceLineEndings("<br>")}</p>";
        var bodyText = written.Body;
        if (written.Link is { } link)
        {
            // A link when the portal's address is known; else where to go, in words (a bare path opens nothing).
            if (portal.BaseUrl is { } baseUrl)
            {
                var (html, text) = Outbox.Link(baseUrl + link, "Open it in ProviderPortal");
                bodyHtml += $"<p>{html}</p>";
                bodyText += "\n\n" + text;
            }
            else
            {
                var words = PortalPages.WhereTo(link);
                bodyHtml += $"<p>{WebUtility.HtmlEncode(words)}</p>";
                bodyText += "\n\n" + words;
            }
        }

        var message = Outbox.Add(db, rowTenantId, to, written.Title, bodyHtml, bodyText, now);
        if (written.Invite is { } invite)
        {
            message.Attach(CalendarInvites.FileName, CalendarInvites.MediaType(invite), CalendarInvites.ToIcs(invite, OrganizerAddress(), to, now));
        }
    }

    private string OrganizerAddress() =>
        MailboxAddress.TryParse(email.Value.From, out var from) ? from.Address : "no-reply@portal.example";

    /// <summary>Once per context: after each save, the bells of the saved rows' recipients are told (never before).</summary>
    private void ListenForSave()
    {
        if (_listening)
        {
            return;
        }

        _listening = true;
        db.SavedChanges += async (_, _) =>
        {
            var saved = _unsaved.Where(n => db.Entry(n).State == EntityState.Unchanged).ToList();
            if (saved.Count == 0)
            {
                return;
            }

            _unsaved.RemoveAll(saved.Contains);
            try
            {
                await publisher.PublishAsync(saved.Select(n => n.RecipientUserId).Distinct(StringComparer.Ordinal).ToList());
            }
            catch (Exception ex)
            {
                // The rows are saved; a bell that was not told shows them on its next load.
                logger.LogWarning(ex, "The bells of {Count} new notifications could not be told", saved.Count);
            }
        };
    }

    private static TimeZoneInfo ZoneOrUtc(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    private sealed record Recipient(string UserId, string? Email, NotificationSettings? Settings);
}
