namespace ProviderPortal.Replication.Devices;

/// <summary>
/// A source or target of block copies: an NBD export, a raw image file, or memory. Implementations
/// are safe for concurrent calls, which is how the copier keeps many requests in flight.
/// Errors name the device, the offset, the length and the cause (<see cref="BlockDeviceException"/>).
/// </summary>
public interface IBlockDevice : IAsyncDisposable
{
    /// <summary>Names the device in messages: the export or the file path, never a credential.</summary>
    string Name { get; }

    long Size { get; }

    DeviceCapabilities Capabilities { get; }

    /// <summary>Requests should be aligned to this (1 when any alignment works).</summary>
    int MinimumBlockSize { get; }

    int PreferredRequestSize { get; }

    int MaximumRequestSize { get; }

    ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes [offset, offset+length) read as zeroes; devices without <see cref="DeviceCapabilities.WriteZeroes"/> write zero buffers.</summary>
    ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken);

    ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The allocation map of [offset, offset+length): sorted, contiguous extents that cover the range
    /// (the last may be cut at the range's end). Without <see cref="DeviceCapabilities.Extents"/>: one Data extent.
    /// </summary>
    ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken);

    /// <summary>The ranges inside [offset, offset+length) that the named dirty bitmap marks, sorted and merged.</summary>
    ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken);
}
