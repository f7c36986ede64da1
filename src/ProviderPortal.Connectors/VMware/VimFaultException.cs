namespace ProviderPortal.Connectors.VMware;

/// <summary>
/// A vim25 fault as the server sent it (a SOAP fault, or a task's LocalizedMethodFault). It stays inside the
/// connector: <see cref="VimFaults"/> turns it into a ConnectorException with words for people.
/// </summary>
internal sealed class VimFaultException : Exception
{
    public VimFaultException(string faultType, string localizedMessage)
        : base(string.IsNullOrWhiteSpace(localizedMessage) ? faultType : localizedMessage)
    {
        FaultType = faultType;
        LocalizedMessage = localizedMessage;
    }

    public VimFaultException()
        : this("Fault", "")
    {
    }

    public VimFaultException(string message)
        : this("Fault", message)
    {
    }

    public VimFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        FaultType = "Fault";
        LocalizedMessage = message;
    }

    /// <summary>The vim25 fault type without namespace prefix, e.g. "InvalidLogin".</summary>
    public string FaultType { get; }

    public string LocalizedMessage { get; }

    public bool IsNotAuthenticated => FaultType == "NotAuthenticated";
}
