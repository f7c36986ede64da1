using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Common;

/// <summary>Turns transport failures into <see cref="ConnectorException"/>s that say what happened in plain words.</summary>
public static class ConnectorFailures
{
    /// <summary>
    /// The failure of a request to <paramref name="endpoint"/>. <paramref name="presented"/> is the certificate the
    /// server showed in the failed handshake, if any; when it does not match <paramref name="pin"/> the failure is a mismatch.
    /// Not for the caller's own cancellation: that propagates as it is, so a cancellation here is a timeout.
    /// </summary>
    public static ConnectorException From(Exception exception, Uri endpoint, string? pin = null, X509Certificate2? presented = null)
    {
        var where = $"{endpoint.Host}:{endpoint.Port}";
        if (exception is ConnectorException known)
        {
            return known;
        }

        if (presented is not null && !Thumbprints.Matches(presented, pin) && IsTls(exception))
        {
            return new ConnectorException(
                ConnectorErrorKind.CertificateMismatch,
                $"{where} presented a different certificate from the trusted one (it shows {Thumbprints.Sha256(presented)}). "
                + "If the server's certificate was replaced on purpose, test the connection again and trust the new one.",
                exception)
            { ServerThumbprint = Thumbprints.Sha256(presented) };
        }

        if (exception is TimeoutException or OperationCanceledException)
        {
            return new ConnectorException(ConnectorErrorKind.Timeout, $"{where} did not answer in time.", exception);
        }

        var socket = Find<SocketException>(exception);
        if (socket is not null)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new ConnectorException(ConnectorErrorKind.ConnectionRefused, $"{where} refused the connection: nothing listens on port {endpoint.Port}.", exception),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new ConnectorException(ConnectorErrorKind.Unreachable, $"The host name {endpoint.Host} could not be resolved.", exception),
                SocketError.TimedOut => new ConnectorException(ConnectorErrorKind.Timeout, $"{where} did not answer in time.", exception),
                SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown => new ConnectorException(ConnectorErrorKind.Unreachable, $"{where} cannot be reached from the portal.", exception),
                _ => new ConnectorException(ConnectorErrorKind.Unreachable, $"{where} cannot be reached ({socket.SocketErrorCode}).", exception),
            };
        }

        if (IsTls(exception))
        {
            return new ConnectorException(ConnectorErrorKind.TlsFailure, $"The secure connection to {where} failed: is it an https endpoint?", exception);
        }

        if (exception is HttpRequestException { StatusCode: { } status })
        {
            return FromStatus(status, where, exception);
        }

        return new ConnectorException(ConnectorErrorKind.Protocol, $"The connection to {where} failed: {exception.Message}", exception);
    }

    public static ConnectorException FromStatus(HttpStatusCode status, string where, Exception? inner = null) => status switch
    {
        HttpStatusCode.Unauthorized => new ConnectorException(ConnectorErrorKind.BadCredentials, $"{where} refused the credentials.", inner),
        HttpStatusCode.Forbidden => new ConnectorException(ConnectorErrorKind.Forbidden, $"{where} does not allow this account to do that.", inner),
        HttpStatusCode.NotFound => new ConnectorException(ConnectorErrorKind.NotFound, $"{where} does not know that object.", inner),
        HttpStatusCode.Conflict => new ConnectorException(ConnectorErrorKind.Conflict, $"{where} says the object is in the wrong state for that.", inner),
        HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => new ConnectorException(ConnectorErrorKind.InvalidRequest, $"{where} refused the request's parameters.", inner),
        _ => new ConnectorException(ConnectorErrorKind.ServerError, $"{where} answered HTTP {(int)status}.", inner),
    };

    private static bool IsTls(Exception exception) => Find<AuthenticationException>(exception) is not null;

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
