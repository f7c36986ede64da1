namespace ProviderPortal.Web.Features.Notifications;

/// <summary>One kind's two switches.</summary>
public sealed record KindChoice(NotificationKind Kind, bool InApp, bool Email)
{
    public bool InApp { get; set; } = InApp;

    public bool Email { get; set; } = Email;
}
