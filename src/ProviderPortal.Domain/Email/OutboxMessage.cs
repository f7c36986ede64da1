namespace ProviderPortal.Domain.Email;

/// <summary>
/// An email waiting to be sent. It is written in the same transaction as the change that caused it,
/// so a message is never lost and never sent for a change that rolled back.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>After this many failed attempts the message is given up and marked Failed.</summary>
    public const int MaxAttempts = 8;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromHours(1);

    private OutboxMessage()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The tenant of the recipient (for provider staff, the tenant the message is about); null for provider-wide mail.</summary>
    public Guid? TenantId { get; private set; }

    public string ToAddress { get; private set; } = "";

    public string Subject { get; private set; } = "";

    public string HtmlBody { get; private set; } = "";

    public string TextBody { get; private set; } = "";

    /// <summary>An optional attachment's file name (e.g. "invite.ics"); with it, a media type and text content.</summary>
    public string? AttachmentName { get; private set; }

    /// <summary>The attachment's full media type, parameters included ("text/calendar; method=REQUEST").</summary>
    public string? AttachmentMediaType { get; private set; }

    public string? AttachmentText { get; private set; }

    public OutboxStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public string? LastError { get; private set; }

    public static OutboxMessage Create(Guid? tenantId, string toAddress, string subject, string htmlBody, string textBody, DateTimeOffset now)
    {
        if (!Tenants.EmailAddress.IsValid(toAddress))
        {
            throw new DomainException($"\"{toAddress}\" is not a valid email address.");
        }

        return new OutboxMessage
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            ToAddress = toAddress,
            Subject = subject,
            HtmlBody = htmlBody,
            TextBody = textBody,
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>Attaches one text file (a calendar invitation); a message carries at most one.</summary>
    public void Attach(string name, string mediaType, string text)
    {
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(mediaType) || text is null)
        {
            throw new DomainException("An attachment needs a name, a media type and content.");
        }

        if (Status != OutboxStatus.Pending || Attempts > 0)
        {
            throw new DomainException("An attachment is added before the message is sent.");
        }

        AttachmentName = name;
        AttachmentMediaType = mediaType;
        AttachmentText = text;
    }

    public bool IsDueAt(DateTimeOffset now) => Status == OutboxStatus.Pending && NextAttemptAt <= now;

    public void MarkSent(DateTimeOffset now)
    {
        if (Status != OutboxStatus.Pending)
        {
            throw new DomainException("Only a pending message can be sent.");
        }

        Attempts++;
        Status = OutboxStatus.Sent;
        SentAt = now;
        LastError = null;
    }

    /// <summary>Records a failed attempt and schedules the next one with exponential backoff.</summary>
    public void MarkAttemptFailed(string error, DateTimeOffset now)
    {
        if (Status != OutboxStatus.Pending)
        {
            throw new DomainException("Only a pending message can be retried.");
        }

        Attempts++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        if (Attempts >= MaxAttempts)
        {
            Status = OutboxStatus.Failed;
            return;
        }

        NextAttemptAt = now + RetryDelay(Attempts);
    }

    /// <summary>30 s after the first failure, doubling each time, at most an hour.</summary>
    public static TimeSpan RetryDelay(int failedAttempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return delay < LongestRetryDelay ? delay : LongestRetryDelay;
    }
}
