using ProviderPortal.Domain.Email;

namespace ProviderPortal.Domain.Tests.Email;

public sealed class OutboxAttachmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Attach_PendingMessage_Kept()
    {
        var message = OutboxMessage.Create(null, "someone@example.com", "Subject", "<p>x</p>", "x", Now);

        message.Attach("invite.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR");

        Assert.Equal("invite.ics", message.AttachmentName);
        Assert.Equal("text/calendar; method=REQUEST", message.AttachmentMediaType);
        Assert.Equal("BEGIN:VCALENDAR", message.AttachmentText);
    }

    [Fact]
    public void Attach_SentMessage_Refused()
    {
        var message = OutboxMessage.Create(null, "someone@example.com", "Subject", "<p>x</p>", "x", Now);
        message.MarkSent(Now);

        Assert.Throws<DomainException>(() => message.Attach("invite.ics", "text/calendar", "BEGIN:VCALENDAR"));
    }
}
