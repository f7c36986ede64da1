using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// A snapshot disk read through XO's full raw export (<c>GET vdi-snapshots/ID.raw</c>), for when there is no
/// XAPI access. The export is one forward-only stream: reads are served in order, a read ahead skips (reads and
/// drops) the bytes between, and a read behind the stream restarts the download from the start. So it is
/// correct for any access pattern but fast only for sequential reads: copy from it with one worker and one
/// request in flight. It has no allocation map (every byte is data) and no deltas.
/// </summary>
internal sealed class XoRawExportDevice : IBlockDevice
{
    private const int SkipBufferSize = 1024 * 1024;

    private readonly Func<CancellationToken, Task<HttpResponseMessage>> _open;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HttpResponseMessage? _response;
    private Stream? _stream;
    private long _position;

    private XoRawExportDevice(string name, long size, Func<CancellationToken, Task<HttpResponseMessage>> open, HttpResponseMessage response, Stream stream)
    {
        Name = name;
        Size = size;
        _open = open;
        _response = response;
        _stream = stream;
    }

    public string Name { get; }

    public long Size { get; }

    public DeviceCapabilities Capabilities => DeviceCapabilities.ReadOnly;

    public int MinimumBlockSize => 1;

    public int PreferredRequestSize => 1024 * 1024;

    public int MaximumRequestSize => 32 * 1024 * 1024;

    public static async Task<XoRawExportDevice> OpenAsync(string name, Func<CancellationToken, Task<HttpResponseMessage>> open, CancellationToken cancellationToken)
    {
        var response = await open(cancellationToken);
        try
        {
            // XO sends Content-Length when it knows the size; without it a block device cannot be offered.
            var size = response.Content.Headers.ContentLength
                ?? throw new ConnectorException(ConnectorErrorKind.NotSupported, $"The raw export of {name} has no Content-Length, so its size is unknown; give XAPI access to read the disk over NBD.");
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new XoRawExportDevice(name, size, open, response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (offset < 0 || offset + buffer.Length > Size)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"beyond the end of the disk ({Size} bytes)");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (offset < _position || _stream is null)
            {
                await RestartAsync(cancellationToken);
            }

            await SkipToAsync(offset, cancellationToken);
            try
            {
                await _stream!.ReadExactlyAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // The stream is in an unknown place now: the next read starts over.
                await CloseStreamAsync();
                throw new BlockDeviceException(Name, "read", offset, buffer.Length, "the export stream ended or broke", ex) { IsTransient = true };
            }

            _position = offset + buffer.Length;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "write", offset, data.Length, "the raw export is read-only");

    public ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "write zeroes", offset, length, "the raw export is read-only");

    public ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "trim", offset, length, "the raw export is read-only");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Extent>>([new Extent(offset, Math.Min(length, Size - offset), ExtentKind.Data)]);

    public ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "the raw export has no dirty bitmaps; deltas need XAPI access");

    public async ValueTask DisposeAsync()
    {
        await CloseStreamAsync();
        _gate.Dispose();
    }

    public override string ToString() => Name;

    private async Task RestartAsync(CancellationToken cancellationToken)
    {
        await CloseStreamAsync();
        _response = await _open(cancellationToken);
        _stream = await _response.Content.ReadAsStreamAsync(cancellationToken);
        _position = 0;
    }

    private async Task SkipToAsync(long offset, CancellationToken cancellationToken)
    {
        if (_position == offset)
        {
            return;
        }

        var scratch = new byte[(int)Math.Min(SkipBufferSize, offset - _position)];
        while (_position < offset)
        {
            var chunk = (int)Math.Min(scratch.Length, offset - _position);
            await _stream!.ReadExactlyAsync(scratch.AsMemory(0, chunk), cancellationToken);
            _position += chunk;
        }
    }

    private async Task CloseStreamAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }

        _response?.Dispose();
        _response = null;
    }
}
