using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Devices;

/// <summary>Opens a device from a location: <c>nbd://host[:port]/export</c>, <c>nbd+unix:///export?socket=PATH</c>, or a file path.</summary>
public static class BlockDevices
{
    public static bool IsNbd(string location) =>
        location.StartsWith("nbd://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("nbd+unix://", StringComparison.OrdinalIgnoreCase);

    public static async ValueTask<IBlockDevice> OpenAsync(string location, BlockDeviceOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsNbd(location))
        {
            if (!NbdUri.TryParse(location, out var uri, out var error))
            {
                throw new BlockDeviceException(location, $"is not a valid NBD location: {error}");
            }

            return await NbdDevice.ConnectAsync(uri, options, cancellationToken).ConfigureAwait(false);
        }

        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new BlockDeviceException(location, "is neither an NBD location (nbd://, nbd+unix://) nor a file path.");
        }

        return FileDevice.Open(location, options);
    }
}
