using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ProviderPortal.Web.Features.Notifications;

/// <summary>
/// Where the links in emails point. Notifications:PortalUrl when set. Otherwise the address this portal listens on, when
/// that is one a browser can open (not a wildcard such as 0.0.0.0 or +) and no proxy stands in front (forwarded
/// headers off): the README's first command, http://localhost:5080. Otherwise none, and emails say in words where to go.
/// Never a request's Host header: any client may send any Host, and the links would point wherever it says.
/// The server and the host's configuration are looked up when asked for: a component test's services have neither.
/// </summary>
public sealed class PortalAddress(IOptions<NotificationOptions> options, IServiceProvider services)
{
    /// <summary>"https://portal.example" (no trailing slash), or null when the portal's address is not known.</summary>
    public string? BaseUrl
    {
        get
        {
            if (options.Value.PortalUrl.TrimEnd('/') is { Length: > 0 } configured)
            {
                return configured;
            }

            // Behind a proxy the listening address is an internal one (127.0.0.1:5000 behind nginx): no link beats a wrong one.
            if (services.GetService<IConfiguration>()?.GetValue("FORWARDEDHEADERS_ENABLED", false) == true)
            {
                return null;
            }

            var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            return addresses
                .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
                .Where(uri => uri is not null && uri.Scheme is "http" or "https" && uri.Host is not ("0.0.0.0" or "[::]" or "::" or "+" or "*") && !uri.Host.Contains('*', StringComparison.Ordinal))
                .OrderBy(uri => uri!.Scheme == "https" ? 0 : 1)
                .Select(uri => uri!.GetLeftPart(UriPartial.Authority))
                .FirstOrDefault();
        }
    }
}
