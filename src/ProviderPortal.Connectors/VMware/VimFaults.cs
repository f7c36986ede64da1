using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.VMware;

/// <summary>Maps vim25 fault types to the portal's error kinds, in plain words.</summary>
internal static class VimFaults
{
    public static ConnectorException ToConnectorException(VimFaultException fault, string where, string action)
    {
        var kind = Kind(fault.FaultType);
        var detail = string.IsNullOrWhiteSpace(fault.LocalizedMessage) ? "" : $": {fault.LocalizedMessage.Trim().TrimEnd('.')}";
        var message = kind switch
        {
            ConnectorErrorKind.BadCredentials => $"vCenter {where} refused the user name or password{detail}.",
            ConnectorErrorKind.Forbidden => $"vCenter {where} does not allow this account to {action}{detail}.",
            ConnectorErrorKind.NotFound => $"vCenter {where} no longer knows the object to {action} on{detail}.",
            ConnectorErrorKind.Conflict => $"vCenter {where} cannot {action} in the object's current state{detail}.",
            ConnectorErrorKind.InvalidRequest => $"vCenter {where} refused the parameters to {action}{detail}.",
            ConnectorErrorKind.NotSupported => $"vCenter {where} does not support what is needed to {action}{detail}.",
            _ => $"vCenter {where} failed to {action}{detail}.",
        };
        return new ConnectorException(kind, $"{message} ({fault.FaultType})", fault);
    }

    public static ConnectorErrorKind Kind(string faultType) => faultType switch
    {
        "InvalidLogin" or "NotAuthenticated" or "InvalidLocale" => ConnectorErrorKind.BadCredentials,
        "NoPermission" or "RestrictedVersion" => ConnectorErrorKind.Forbidden,
        "ManagedObjectNotFound" or "NotFound" or "InvalidDeviceSpec" => ConnectorErrorKind.NotFound,
        "InvalidPowerState" or "InvalidState" or "TaskInProgress" or "InvalidHostState" or "SnapshotFault" or "ConcurrentAccess" => ConnectorErrorKind.Conflict,
        "InvalidArgument" or "InvalidRequest" or "InvalidType" or "InvalidProperty" or "InvalidName" => ConnectorErrorKind.InvalidRequest,
        "NotSupported" or "NotImplemented" or "MethodNotFound" => ConnectorErrorKind.NotSupported,
        _ => ConnectorErrorKind.ServerError,
    };

    /// <summary>File faults (FileFault and its kin) from QueryChangedDiskAreas mean the change id is no longer valid.</summary>
    public static bool IsFileFault(string faultType) =>
        faultType is "FileFault" or "FileNotFound" or "CannotAccessFile" or "FileLocked" or "FileCorrupted" or "InvalidDiskFormat";
}
