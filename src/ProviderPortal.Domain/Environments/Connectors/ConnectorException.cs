namespace ProviderPortal.Domain.Environments.Connectors;

/// <summary>
/// A connector failure with a message a user can act on (never a credential or a token in it).
/// <see cref="ServerThumbprint"/> is set for certificate failures, so the portal can show what the server presented.
/// </summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException(ConnectorErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ConnectorException()
        : this(ConnectorErrorKind.ServerError, "The connector failed.")
    {
    }

    public ConnectorException(string message)
        : this(ConnectorErrorKind.ServerError, message)
    {
    }

    public ConnectorException(string message, Exception innerException)
        : this(ConnectorErrorKind.ServerError, message, innerException)
    {
    }

    public ConnectorErrorKind Kind { get; }

    public string? ServerThumbprint { get; init; }

    /// <summary>Worth trying again later without changing anything.</summary>
    public bool IsTransient => Kind is ConnectorErrorKind.Unreachable or ConnectorErrorKind.ConnectionRefused
        or ConnectorErrorKind.Timeout or ConnectorErrorKind.ServerError;
}
