namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>Why a connector call failed, so the portal can say it in plain words and decide whether to retry.</summary>
public enum ConnectorErrorKind
{
    /// <summary>The endpoint is not a usable https URL.</summary>
    InvalidEndpoint,

    /// <summary>The host name does not resolve, or no route to it.</summary>
    Unreachable,

    /// <summary>The host answered but nothing listens on the port.</summary>
    ConnectionRefused,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>TLS failed for another reason than the pin (protocol, handshake).</summary>
    TlsFailure,

    /// <summary>The server's certificate is not the trusted (pinned) one.</summary>
    CertificateMismatch,

    /// <summary>The user name, password or token was refused.</summary>
    BadCredentials,

    /// <summary>Logged in, but not allowed to do this.</summary>
    Forbidden,

    /// <summary>The VM, snapshot or disk does not exist (any more).</summary>
    NotFound,

    /// <summary>The object is in the wrong state (e.g. already powered off, a task already running).</summary>
    Conflict,

    /// <summary>The platform refused the request's parameters.</summary>
    InvalidRequest,

    /// <summary>The change id is unknown or stale (tracking was reset): fall back to a full copy.</summary>
    ChangeTrackingReset,

    /// <summary>The platform does not support the operation (e.g. CBT on this disk type).</summary>
    NotSupported,

    /// <summary>The server answered something that does not follow the protocol.</summary>
    Protocol,

    /// <summary>The server reported an internal error.</summary>
    ServerError,
}
