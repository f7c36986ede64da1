namespace ProviderPortal.Web.Features.Notifications;

/// <summary>What the preferences form edits: the switches per kind and the user's own time zone (null: the default).</summary>
public sealed record NotificationChoices(IReadOnlyList<KindChoice> Kinds, string? TimeZoneId)
{
    public string? TimeZoneId { get; set; } = TimeZoneId;
}
