using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// The .ics file sent with an email (RFC 5546): METHOD:REQUEST books or updates the event, METHOD:CANCEL removes it.
/// Times are written in UTC, so every calendar shows them in its own zone; the UID stays the same for one window and
/// the sequence grows, so a mail client replaces the event instead of adding another.
/// </summary>
public static class CalendarInvites
{
    public const string FileName = "invite.ics";

    public static string MediaType(CalendarInvite invite) =>
        $"text/calendar; method={Method(invite)}; charset=utf-8";

    public static string Method(CalendarInvite invite) => invite.Cancelled ? "CANCEL" : "REQUEST";

    public static string ToIcs(CalendarInvite invite, string organizerAddress, string attendeeAddress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.EndsAt <= invite.StartsAt)
        {
            throw new ArgumentException("An invitation ends after it starts.", nameof(invite));
        }

        var calendar = new Calendar { Method = Method(invite), ProductId = "-//ProviderPortal//Notifications//EN" };
        var meeting = new CalendarEvent
        {
            Uid = Uid(invite),
            Summary = invite.Summary,
            Description = invite.Description,
            DtStart = new CalDateTime(invite.StartsAt.UtcDateTime),
            DtEnd = new CalDateTime(invite.EndsAt.UtcDateTime),
            DtStamp = new CalDateTime(now.UtcDateTime),
            Sequence = invite.Sequence,
            Status = invite.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Organizer = new Organizer($"mailto:{organizerAddress}"),
        };
        meeting.Attendees.Add(new Attendee($"mailto:{attendeeAddress}") { Rsvp = false, ParticipationStatus = "NEEDS-ACTION" });
        calendar.Events.Add(meeting);
        return new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("The invitation could not be written.");
    }

    /// <summary>The event's UID: the same for every update and the cancellation of one invite's Uid.</summary>
    public static string Uid(CalendarInvite invite) => $"{invite.Uid:D}@providerportal";
}
