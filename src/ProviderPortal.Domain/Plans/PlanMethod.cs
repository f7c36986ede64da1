namespace ProviderPortal.Domain.Plans;

/// <summary>How the baseline travels: over the network, or on a seed device shipped to the customer and back.</summary>
public enum PlanMethod
{
    Network = 0,
    SeedDevice = 1,
}
