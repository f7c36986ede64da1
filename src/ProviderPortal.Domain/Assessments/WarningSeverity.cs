namespace ProviderPortal.Domain.Assessments;

public enum WarningSeverity
{
    /// <summary>Worth knowing; nothing to do.</summary>
    Info = 0,

    /// <summary>Works, but worse than hoped unless someone acts.</summary>
    Warning = 1,

    /// <summary>Fails at cutover unless fixed first.</summary>
    Blocker = 2,
}
