using System.Net;
using ProviderPortal.Data;
using ProviderPortal.Domain.Email;

namespace ProviderPortal.Web.Features.Email;

/// <summary>Puts an email into the outbox of a context, to be saved with the change that caused it.</summary>
public static class Outbox
{
    public static OutboxMessage Add(PortalDbContext db, Guid? tenantId, string to, string subject, string paragraphHtml, string paragraphText, DateTimeOffset now)
    {
        var message = OutboxMessage.Create(tenantId, to, subject, Wrap(subject, paragraphHtml), paragraphText, now);
        db.OutboxMessages.Add(message);
        return message;
    }

    /// <summary>A link both as an HTML anchor and as plain text.</summary>
    public static (string Html, string Text) Link(string url, string label) =>
        ($"<a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(label)}</a>", $"{label}: {url}");

    private static string Wrap(string subject, string body) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(subject)}</title></head>" +
        $"<body style=\"font-family:sans-serif\">{body}<p style=\"color:#666\">ProviderPortal</p></body></html>";
}
