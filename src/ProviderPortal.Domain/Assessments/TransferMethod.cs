namespace ProviderPortal.Domain.Assessments;

/// <summary>How the baseline reaches the provider.</summary>
public enum TransferMethod
{
    Network = 0,
    SeedDevice = 1,
}
