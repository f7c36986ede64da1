namespace ProviderPortal.Web.Features.Email;

/// <summary>Email settings (section "Email"). With no Smtp:Host, mail goes to the pickup folder.</summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "ProviderPortal <no-reply@portal.example>";

    /// <summary>Where mail is written when no SMTP server is configured; relative to the data folder.</summary>
    public string PickupDirectory { get; set; } = "mail-pickup";

    /// <summary>How often the outbox is sent.</summary>
    public int SendIntervalSeconds { get; set; } = 10;

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None, StartTls, SslOnConnect or Auto.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public int TimeoutSeconds { get; set; } = 30;
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
    Auto,
}
