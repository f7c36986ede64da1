namespace ProviderPortal.Replication.Devices;

/// <summary>A device refused or failed a request. The message names device, offset, length and cause.</summary>
public class BlockDeviceException : IOException
{
    public BlockDeviceException(string device, string operation, long offset, long length, string cause, Exception? inner = null)
        : base($"{operation} of {length} bytes at offset {offset} on {device} failed: {cause}", inner)
    {
        Device = device;
        Operation = operation;
        Offset = offset;
        Length = length;
        Cause = cause;
    }

    public BlockDeviceException(string device, string message, Exception? inner = null)
        : base($"{device}: {message}", inner)
    {
        Device = device;
        Operation = "";
        Cause = message;
    }

    public string Device { get; }

    public string Operation { get; }

    public long Offset { get; }

    public long Length { get; }

    public string Cause { get; }

    /// <summary>True when the connection or the process behind the device failed and a retry on a new connection may succeed.</summary>
    public bool IsTransient { get; init; }
}
