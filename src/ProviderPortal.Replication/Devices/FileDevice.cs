using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ProviderPortal.Replication.Devices;

/// <summary>
/// A raw image file. Sparse-aware on Linux: extents come from lseek(SEEK_DATA/SEEK_HOLE) and
/// write-zeroes punches holes, so holes are neither read nor written. Reads and writes are positional,
/// so concurrent requests are safe.
/// </summary>
public sealed class FileDevice : IBlockDevice
{
    private const int ZeroBufferSize = 1024 * 1024;
    private static readonly byte[] s_zeroes = new byte[ZeroBufferSize];

    private readonly SafeFileHandle _handle;
    private volatile bool _canPunchHoles;

    private FileDevice(string path, SafeFileHandle handle, long size, DeviceCapabilities capabilities)
    {
        Name = path;
        _handle = handle;
        Size = size;
        Capabilities = capabilities;
        _canPunchHoles = OperatingSystem.IsLinux() && !capabilities.HasFlag(DeviceCapabilities.ReadOnly);
    }

    public string Name { get; }

    public long Size { get; }

    public DeviceCapabilities Capabilities { get; }

    public int MinimumBlockSize => 1;

    public int PreferredRequestSize => 4 * 1024 * 1024;

    public int MaximumRequestSize => 32 * 1024 * 1024;

    /// <summary>
    /// Opens <paramref name="path"/>; for writing it creates the file with <see cref="BlockDeviceOpenOptions.CreateWithSize"/>
    /// when it does not exist, and such a new (sparse) file reports <see cref="DeviceCapabilities.ZeroInitialized"/>.
    /// </summary>
    public static FileDevice Open(string path, BlockDeviceOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var create = options.Writable && options.CreateWithSize is not null && !File.Exists(path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(
                path,
                create ? FileMode.CreateNew : FileMode.Open,
                options.Writable ? FileAccess.ReadWrite : FileAccess.Read,
                FileShare.ReadWrite,
                FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BlockDeviceException(path, $"cannot be opened: {ex.Message}", ex);
        }

        try
        {
            if (create)
            {
                RandomAccess.SetLength(handle, options.CreateWithSize!.Value);
            }

            var capabilities = DeviceCapabilities.Flush | DeviceCapabilities.MultiConn;
            if (OperatingSystem.IsLinux())
            {
                capabilities |= DeviceCapabilities.Extents;
            }

            capabilities |= options.Writable
                ? DeviceCapabilities.WriteZeroes | DeviceCapabilities.Trim
                : DeviceCapabilities.ReadOnly;
            if (create)
            {
                capabilities |= DeviceCapabilities.ZeroInitialized;
            }

            return new FileDevice(path, handle, RandomAccess.GetLength(handle), capabilities);
        }
        catch (IOException ex)
        {
            handle.Dispose();
            throw new BlockDeviceException(path, $"cannot be prepared: {ex.Message}", ex);
        }
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        CheckRange("read", offset, buffer.Length);
        try
        {
            while (!buffer.IsEmpty)
            {
                var read = await RandomAccess.ReadAsync(_handle, buffer, offset, cancellationToken);
                if (read == 0)
                {
                    throw new BlockDeviceException(Name, "read", offset, buffer.Length, "the file ended early");
                }

                buffer = buffer[read..];
                offset += read;
            }
        }
        catch (IOException ex) when (ex is not BlockDeviceException)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, ex.Message, ex);
        }
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        CheckRange("write", offset, data.Length);
        ThrowIfReadOnly("write", offset, data.Length);
        try
        {
            await RandomAccess.WriteAsync(_handle, data, offset, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new BlockDeviceException(Name, "write", offset, data.Length, ex.Message, ex);
        }
    }

    public async ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckRange("write-zeroes", offset, length);
        ThrowIfReadOnly("write-zeroes", offset, length);
        if (length == 0 || TryPunchHole(offset, length))
        {
            return;
        }

        try
        {
            for (var done = 0L; done < length; done += ZeroBufferSize)
            {
                var count = (int)Math.Min(ZeroBufferSize, length - done);
                await RandomAccess.WriteAsync(_handle, s_zeroes.AsMemory(0, count), offset + done, cancellationToken);
            }
        }
        catch (IOException ex)
        {
            throw new BlockDeviceException(Name, "write-zeroes", offset, length, ex.Message, ex);
        }
    }

    public ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckRange("trim", offset, length);
        ThrowIfReadOnly("trim", offset, length);

        // Trim is advisory: a file system that cannot punch holes keeps the bytes.
        TryPunchHole(offset, length);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            RandomAccess.FlushToDisk(_handle);
        }
        catch (IOException ex)
        {
            throw new BlockDeviceException(Name, "flush", 0, Size, ex.Message, ex);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckRange("block-status", offset, length);
        if (!Capabilities.HasFlag(DeviceCapabilities.Extents))
        {
            return ValueTask.FromResult<IReadOnlyList<Extent>>([new Extent(offset, length, ExtentKind.Data)]);
        }

        var extents = new List<Extent>();
        var end = offset + length;
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            var position = offset;
            while (position < end)
            {
                var data = Seek(fd, position, NativeMethods.SeekData);
                if (data < 0 || data >= end)
                {
                    extents.Add(new Extent(position, end - position, ExtentKind.Hole));
                    break;
                }

                if (data > position)
                {
                    extents.Add(new Extent(position, data - position, ExtentKind.Hole));
                }

                var hole = Seek(fd, data, NativeMethods.SeekHole);
                var dataEnd = hole < 0 ? end : Math.Min(hole, end);
                extents.Add(new Extent(data, dataEnd - data, ExtentKind.Data));
                position = dataEnd;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Extent>>(extents);
    }

    public ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, $"is a file and has no dirty bitmaps (asked for {bitmap})");

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>-1 when no data (or hole) follows <paramref name="position"/> (ENXIO).</summary>
    private long Seek(int fd, long position, int whence)
    {
        var result = NativeMethods.LSeek(fd, position, whence);
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == NativeMethods.Enxio)
            {
                return -1;
            }

            throw new BlockDeviceException(Name, "block-status", position, Size - position, $"lseek failed with errno {errno}");
        }

        return result;
    }

    private bool TryPunchHole(long offset, long length)
    {
        if (!_canPunchHoles)
        {
            return false;
        }

        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            if (NativeMethods.FAllocate(fd, NativeMethods.FallocPunchHole | NativeMethods.FallocKeepSize, offset, length) == 0)
            {
                return true;
            }

            // The file system cannot punch holes (EOPNOTSUPP and friends): write zeroes from now on.
            _canPunchHoles = false;
            return false;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void CheckRange(string operation, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Size)
        {
            throw new BlockDeviceException(Name, operation, offset, length, $"the range is outside the file's {Size} bytes");
        }
    }

    private void ThrowIfReadOnly(string operation, long offset, long length)
    {
        if (Capabilities.HasFlag(DeviceCapabilities.ReadOnly))
        {
            throw new BlockDeviceException(Name, operation, offset, length, "the file is open for reading only");
        }
    }
}
