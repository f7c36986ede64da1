namespace ProviderPortal.Domain.Assessments;

public enum AssessmentStatus
{
    /// <summary>Sampling until the observation period ends.</summary>
    Observing = 0,

    /// <summary>The period ended; the forecast uses every sample taken.</summary>
    Completed = 1,

    /// <summary>Stopped early by a user; the samples taken so far still make a forecast.</summary>
    Cancelled = 2,
}
