namespace ProviderPortal.Replication.Devices;

/// <summary>How to open a device: for writing or not, how many connections, which bitmaps, how long to wait.</summary>
public sealed record BlockDeviceOpenOptions
{
    public bool Writable { get; init; }

    /// <summary>NBD: connections to open when both ends allow multi-conn (otherwise one).</summary>
    public int Connections { get; init; } = 4;

    /// <summary>NBD: dirty bitmaps (qemu:dirty-bitmap:NAME) to negotiate besides base:allocation.</summary>
    public IReadOnlyList<string> DirtyBitmaps { get; init; } = [];

    /// <summary>Longest wait for a connection, a handshake or one reply before the device fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>NBD over TLS: the SHA-256 fingerprint (hex) the server's certificate must have; null for plain NBD.</summary>
    public string? PinnedCertificateSha256 { get; init; }

    /// <summary>Files: create the target with this size when it does not exist.</summary>
    public long? CreateWithSize { get; init; }
}
