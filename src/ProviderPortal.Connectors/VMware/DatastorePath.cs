using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.VMware;

/// <summary>vSphere datastore paths ("[datastore] dir/disk.vmdk") and the datastore HTTP address of a disk's flat file.</summary>
internal static class DatastorePath
{
    public static (string Datastore, string Path) Parse(string fileName)
    {
        var close = fileName.IndexOf(']', StringComparison.Ordinal);
        if (!fileName.StartsWith('[') || close < 0)
        {
            throw new ConnectorException(ConnectorErrorKind.NotSupported, $"The disk file {fileName} is not a datastore path.");
        }

        return (fileName[1..close], fileName[(close + 1)..].Trim());
    }

    /// <summary>GET {endpoint}/folder/dir/x-flat.vmdk?dcPath=…&amp;dsName=… for the descriptor dir/x.vmdk.</summary>
    public static Uri FlatFileUrl(Uri endpoint, string datacenter, string datastore, string descriptorPath)
    {
        var flat = descriptorPath.EndsWith(".vmdk", StringComparison.OrdinalIgnoreCase) && !descriptorPath.EndsWith("-flat.vmdk", StringComparison.OrdinalIgnoreCase)
            ? descriptorPath[..^5] + "-flat.vmdk"
            : descriptorPath;
        var escaped = string.Join('/', flat.Split('/').Select(Uri.EscapeDataString));
        return new Uri(endpoint, $"/folder/{escaped}?dcPath={Uri.EscapeDataString(datacenter)}&dsName={Uri.EscapeDataString(datastore)}");
    }
}
