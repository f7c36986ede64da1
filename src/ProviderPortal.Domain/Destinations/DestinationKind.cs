namespace ProviderPortal.Domain.Destinations;

/// <summary>Where a destination site keeps the replicated disks.</summary>
public enum DestinationKind
{
    /// <summary>Disk images in a folder of the worker's node: one folder per tenant under the site's root.</summary>
    LocalStorage = 0,

    /// <summary>One NBD export per disk on the provider's storage, named by the site's URI template.</summary>
    Nbd = 1,
}
