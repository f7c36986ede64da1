using System.Globalization;

namespace ProviderPortal.Replication.Nbd;

/// <summary>
/// Where an NBD export lives: <c>nbd://host[:port]/export</c> (TCP, default port 10809) or
/// <c>nbd+unix:///export?socket=PATH</c> (a Unix-domain socket).
/// </summary>
public sealed record NbdUri
{
    public const int DefaultPort = 10809;

    private NbdUri(string? host, int port, string? socketPath, string export)
    {
        Host = host;
        Port = port;
        SocketPath = socketPath;
        Export = export;
    }

    /// <summary>The TCP host; null for a Unix socket.</summary>
    public string? Host { get; }

    public int Port { get; }

    /// <summary>The Unix socket path; null for TCP.</summary>
    public string? SocketPath { get; }

    public string Export { get; }

    public bool IsUnixSocket => SocketPath is not null;

    public static NbdUri Tcp(string host, int port, string export) => new(host, port, null, export);

    public static NbdUri Unix(string socketPath, string export) => new(null, 0, socketPath, export);

    public static NbdUri Parse(string text) =>
        TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"'{text}' is not an NBD location: {error}");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NbdUri? uri, out string error)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return false;
        }

        const string tcpScheme = "nbd://";
        const string unixScheme = "nbd+unix://";
        if (text.StartsWith(tcpScheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[tcpScheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var authority = slash < 0 ? rest : rest[..slash];
            var export = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
            if (!TrySplitAuthority(authority, out var host, out var port, out error))
            {
                return false;
            }

            uri = new NbdUri(host, port, null, export);
            return true;
        }

        if (text.StartsWith(unixScheme, StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[unixScheme.Length..];
            var question = rest.IndexOf('?', StringComparison.Ordinal);
            var path = question < 0 ? rest : rest[..question];
            var query = question < 0 ? "" : rest[(question + 1)..];
            if (!path.StartsWith('/') && path.Length > 0)
            {
                error = "nbd+unix takes no host (nbd+unix:///export?socket=PATH)";
                return false;
            }

            string? socket = null;
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && pair[..eq] == "socket")
                {
                    socket = Uri.UnescapeDataString(pair[(eq + 1)..]);
                }
            }

            if (string.IsNullOrEmpty(socket))
            {
                error = "nbd+unix needs ?socket=PATH";
                return false;
            }

            uri = new NbdUri(null, 0, socket, Uri.UnescapeDataString(path.TrimStart('/')));
            error = "";
            return true;
        }

        error = "it starts neither with nbd:// nor with nbd+unix://";
        return false;
    }

    public override string ToString() => IsUnixSocket
        ? $"nbd+unix:///{Uri.EscapeDataString(Export)}?socket={SocketPath}"
        : $"nbd://{(Host!.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(Export)}";

    private static bool TrySplitAuthority(string authority, out string host, out int port, out string error)
    {
        host = authority;
        port = DefaultPort;
        error = "";
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "an IPv6 host lacks its ']'";
                return false;
            }

            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    error = "unexpected text after the IPv6 host";
                    return false;
                }

                portText = authority[(close + 2)..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
        }

        if (host.Length == 0)
        {
            error = "the host is missing";
            return false;
        }

        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{portText}' is not a port";
            return false;
        }

        return true;
    }
}
