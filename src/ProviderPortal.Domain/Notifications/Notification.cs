namespace ProviderPortal.Domain.Notifications;

/// <summary>
/// One notification in one user's bell. Its text was written for that user (times in the user's zone), so it is shown as
/// stored. It is saved in the same transaction as the change it tells about.
/// </summary>
[NotAudited]
public sealed class Notification
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 2000;
    public const int LinkMaxLength = 400;

    private Notification()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The tenant the notification belongs to: its recipient's, or for staff the tenant it is about; null when it is about no tenant.</summary>
    public Guid? TenantId { get; private set; }

    public string RecipientUserId { get; private set; } = "";

    /// <summary>The notification's kind as its stable number (the web layer's NotificationKind).</summary>
    public int Kind { get; private set; }

    public string Title { get; private set; } = "";

    public string Body { get; private set; } = "";

    /// <summary>A path inside the portal, or null.</summary>
    public string? Link { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    public static Notification Create(Guid? tenantId, string recipientUserId, int kind, string title, string body, string? link, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(recipientUserId))
        {
            throw new DomainException("A notification needs a recipient.");
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            throw new DomainException("A notification needs a title.");
        }

        if (link is not null && !IsLocalPath(link))
        {
            throw new DomainException("A notification links only to a page of the portal (a path starting with /).");
        }

        return new Notification
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            RecipientUserId = recipientUserId,
            Kind = kind,
            Title = Trim(title.Trim(), TitleMaxLength),
            Body = Trim(body?.Trim() ?? "", BodyMaxLength),
            Link = string.IsNullOrWhiteSpace(link) ? null : Trim(link, LinkMaxLength),
            CreatedAt = now,
        };
    }

    /// <summary>Marks it read; reading it again keeps the first time.</summary>
    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    /// <summary>"/windows" yes; "//evil.example", "https://..." and "/\evil" no: a link never leaves the portal.</summary>
    public static bool IsLocalPath(string link) =>
        link.Length > 0 && link[0] == '/' && (link.Length == 1 || (link[1] != '/' && link[1] != '\\')) && !link.Any(char.IsControl);

    private static string Trim(string value, int max) => value.Length > max ? value[..(max - 1)] + "…" : value;
}
