using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using ProviderPortal.Domain.Email;
using ProviderPortal.Web.Infrastructure;

namespace ProviderPortal.Web.Features.Email;

/// <summary>
/// Delivers outbox messages: over SMTP with MailKit when Email:Smtp:Host is set, otherwise into the
/// pickup folder (one .eml file per message). Bodies are never logged: they can hold reset links.
/// </summary>
public sealed class MailDelivery(IOptions<EmailOptions> options, IConfiguration configuration, ILogger<MailDelivery> logger)
{
    private readonly EmailOptions _options = options.Value;

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(_options.Smtp.Host);

    public string PickupDirectory => Path.Combine(PortalSettings.DataDirectory(configuration), _options.PickupDirectory);

    /// <summary>Sends each message and reports success or the error per message; one connection for the batch.</summary>
    public async Task DeliverAsync(IReadOnlyList<OutboxMessage> messages, Func<OutboxMessage, Exception?, Task> onResult, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        if (!UsesSmtp)
        {
            Directory.CreateDirectory(PickupDirectory);
            foreach (var message in messages)
            {
                var path = Path.Combine(PickupDirectory, $"{message.CreatedAt:yyyyMMdd-HHmmss}-{message.Id:N}.eml");
                await ToMime(message).WriteToAsync(path, cancellationToken);
                logger.LogInformation("No SMTP server is configured: email {MessageId} to {Recipient} ({Subject}) was written to {Path}.", message.Id, message.ToAddress, message.Subject, path);
                await onResult(message, null);
            }

            return;
        }

        using var client = new SmtpClient { Timeout = _options.Smtp.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(_options.Smtp.Host!, _options.Smtp.Port, ToSocketOptions(_options.Smtp.Security), cancellationToken);
            if (!string.IsNullOrEmpty(_options.Smtp.UserName))
            {
                await client.AuthenticateAsync(_options.Smtp.UserName, _options.Smtp.Password ?? "", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("The SMTP server {Host}:{Port} could not be reached: {Error}", _options.Smtp.Host, _options.Smtp.Port, ex.Message);
            foreach (var message in messages)
            {
                await onResult(message, ex);
            }

            return;
        }

        foreach (var message in messages)
        {
            try
            {
                await client.SendAsync(ToMime(message), cancellationToken);
                logger.LogInformation("Email {MessageId} to {Recipient} ({Subject}) was sent.", message.Id, message.ToAddress, message.Subject);
                await onResult(message, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Email {MessageId} to {Recipient} could not be sent: {Error}", message.Id, message.ToAddress, ex.Message);
                await onResult(message, ex);
            }
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private MimeMessage ToMime(OutboxMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(_options.From));
        mime.To.Add(MailboxAddress.Parse(message.ToAddress));
        mime.Subject = message.Subject;
        mime.MessageId = $"{message.Id:N}@providerportal";
        mime.Date = message.CreatedAt;
        var body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody };
        if (message.AttachmentName is { } name && message.AttachmentText is { } text)
        {
            // A calendar invitation keeps its method parameter, so mail clients offer to add, update or remove the event.
            var type = ContentType.Parse(message.AttachmentMediaType ?? "application/octet-stream");
            type.Charset ??= "utf-8";
            body.Attachments.Add(name, System.Text.Encoding.UTF8.GetBytes(text), type);
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}
