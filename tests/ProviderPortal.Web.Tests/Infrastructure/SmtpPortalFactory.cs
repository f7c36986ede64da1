using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// The portal sending its mail to a real SMTP server (with a user name and password), every log entry
/// captured. <see cref="SmtpPortalFactory.ClosedPort"/> points it to a port nobody listens on instead.
/// </summary>
public class SmtpPortalFactory : PortalFactory
{
    public const string SmtpUserName = "portal-mailer";

    public const string SmtpPassword = "Smtp-Secret-Passw0rd-7f3c";

    private readonly int _port;

    public SmtpPortalFactory()
        : this(SmtpPeer.Start(SmtpUserName, SmtpPassword))
    {
    }

    protected SmtpPortalFactory(SmtpPeer? peer)
    {
        Smtp = peer;
        _port = peer?.Port ?? SmtpPeer.FreePort();
    }

    /// <summary>The server receiving the mail; null when the portal points to a closed port.</summary>
    public SmtpPeer? Smtp { get; }

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:Smtp:UserName"] = SmtpUserName,
        ["Email:Smtp:Password"] = SmtpPassword,
        ["Email:Smtp:TimeoutSeconds"] = "10",
        ["Email:SendIntervalSeconds"] = "1",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Smtp?.Dispose();
        }
    }

    /// <summary>The portal with its SMTP settings pointing to a closed port.</summary>
    public sealed class ClosedPort : SmtpPortalFactory
    {
        public ClosedPort()
            : base(null)
        {
        }
    }
}
