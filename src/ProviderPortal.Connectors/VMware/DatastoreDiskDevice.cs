using System.Net;
using System.Net.Http.Headers;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.VMware;

/// <summary>
/// A snapshot's flat disk file read over vCenter's datastore HTTP (<c>/folder/…-flat.vmdk</c>) with Range requests,
/// through the connector's pinned client and session cookie. Read-only; concurrent reads are independent requests.
/// </summary>
internal sealed class DatastoreDiskDevice : IBlockDevice
{
    private readonly VimSoapClient _client;
    private readonly Uri _file;

    public DatastoreDiskDevice(VimSoapClient client, Uri file, string name, long size)
    {
        _client = client;
        _file = file;
        Name = name;
        Size = size;
    }

    public string Name { get; }

    public long Size { get; }

    public DeviceCapabilities Capabilities => DeviceCapabilities.ReadOnly | DeviceCapabilities.MultiConn;

    public int MinimumBlockSize => 1;

    public int PreferredRequestSize => 4 * 1024 * 1024;

    public int MaximumRequestSize => 32 * 1024 * 1024;

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        if (offset < 0 || offset + buffer.Length > Size)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"the range is outside the disk ({Size} bytes)");
        }

        var generation = _client.Generation;
        var status = await TryReadAsync(offset, buffer, cancellationToken);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The session expired during a long copy: log in again once and repeat the read.
            try
            {
                await _client.ReloginAsync(generation, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                throw new BlockDeviceException(Name, "read", offset, buffer.Length, ex.Message, ex) { IsTransient = ex.IsTransient };
            }

            status = await TryReadAsync(offset, buffer, cancellationToken);
        }

        if (status != HttpStatusCode.PartialContent)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"the datastore answered HTTP {(int)status} instead of 206 Partial Content")
            {
                IsTransient = (int)status >= 500,
            };
        }
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        throw ReadOnly("write", offset, data.Length);

    public ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw ReadOnly("write zeroes", offset, length);

    public ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw ReadOnly("trim", offset, length);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Extent>>([new Extent(offset, Math.Min(length, Size - offset), ExtentKind.Data)]);

    public ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "dirty ranges", offset, length, "datastore files have no dirty bitmaps: ask the connector for changed areas");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Fills the buffer on 206; returns the status otherwise (the caller decides).</summary>
    private async Task<HttpStatusCode> TryReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_client.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _file);
            request.Headers.Range = new RangeHeaderValue(offset, offset + buffer.Length - 1);
            using var response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (response.StatusCode != HttpStatusCode.PartialContent)
            {
                return response.StatusCode;
            }

            var range = response.Content.Headers.ContentRange;
            if (range?.From is { } from && from != offset)
            {
                throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"the datastore answered the range from {from} instead");
            }

            await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
            await body.ReadExactlyAsync(buffer, limit.Token);
            return response.StatusCode;
        }
        catch (EndOfStreamException ex)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, "the datastore sent fewer bytes than asked", ex) { IsTransient = true };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"no answer within {_client.RequestTimeout.TotalSeconds:0} s", ex) { IsTransient = true };
        }
        catch (HttpRequestException ex)
        {
            throw new BlockDeviceException(Name, "read", offset, buffer.Length, $"the request to {_client.Where} failed ({ex.HttpRequestError})", ex) { IsTransient = true };
        }
    }

    private BlockDeviceException ReadOnly(string operation, long offset, long length) =>
        new(Name, operation, offset, length, "a snapshot disk is read-only");
}
