namespace ProviderPortal.Domain.Assessments;

/// <summary>One readiness finding for one VM, in plain words.</summary>
public sealed record ReadinessWarning(string VmId, ReadinessIssue Issue, WarningSeverity Severity, string Message);
