using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>An XAPI error (<c>message</c> is the error code, <c>data</c> its parameters), turned into a connector failure.</summary>
internal static class XapiErrors
{
    /// <summary>The CBT backend's "these two VDIs are not of one chain" failure: the base is gone or unrelated.</summary>
    public const string CbtChainBroken = "SR_BACKEND_FAILURE_460";

    public static ConnectorException Create(string method, string code, IReadOnlyList<string> data, string where, string? sessionRef)
    {
        // Error parameters can name the session (SESSION_INVALID): it is a credential, so it is cut out.
        var details = string.Join(", ", data.Where(d => d.Length > 0).Select(d => sessionRef is not null && d.Contains(sessionRef, StringComparison.Ordinal) ? "(session)" : d));
        var text = details.Length == 0 ? code : $"{code} ({details})";
        var kind = code switch
        {
            "SESSION_AUTHENTICATION_FAILED" => ConnectorErrorKind.BadCredentials,
            "PERMISSION_DENIED" or "RBAC_PERMISSION_DENIED" => ConnectorErrorKind.Forbidden,
            "UUID_INVALID" or "HANDLE_INVALID" or "VDI_MISSING" => ConnectorErrorKind.NotFound,
            "SR_OPERATION_NOT_SUPPORTED" or "MESSAGE_METHOD_UNKNOWN" => ConnectorErrorKind.NotSupported,
            "VDI_IN_USE" or "OTHER_OPERATION_IN_PROGRESS" or "VM_BAD_POWER_STATE" => ConnectorErrorKind.Conflict,
            CbtChainBroken or "VDI_NO_CBT_METADATA" or "VDI_CBT_DISABLED" => ConnectorErrorKind.ChangeTrackingReset,
            _ => ConnectorErrorKind.ServerError,
        };
        return new ConnectorException(kind, $"{where} refused {method}: {text}");
    }
}
