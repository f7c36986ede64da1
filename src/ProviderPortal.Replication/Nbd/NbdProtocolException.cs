namespace ProviderPortal.Replication.Nbd;

/// <summary>The server broke the protocol; the connection cannot be trusted any more.</summary>
internal sealed class NbdProtocolException(string message) : Exception(message);
