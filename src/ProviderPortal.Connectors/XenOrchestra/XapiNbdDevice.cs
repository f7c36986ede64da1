using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// A snapshot VDI read over XAPI's NBD server. XAPI's export name embeds the session, so the session stays
/// logged in while the device is open and is logged out when it is disposed; the name shown in messages is
/// the VDI, never the export name (a device error naming the export is rewritten).
/// </summary>
internal sealed class XapiNbdDevice : IBlockDevice
{
    private readonly IBlockDevice _inner;
    private readonly XapiSession _session;
    private readonly string _exportName;

    public XapiNbdDevice(IBlockDevice inner, XapiSession session, string name, string exportName)
    {
        _inner = inner;
        _session = session;
        Name = name;
        _exportName = exportName;
    }

    public string Name { get; }

    public long Size => _inner.Size;

    public DeviceCapabilities Capabilities => _inner.Capabilities | DeviceCapabilities.ReadOnly;

    public int MinimumBlockSize => _inner.MinimumBlockSize;

    public int PreferredRequestSize => _inner.PreferredRequestSize;

    public int MaximumRequestSize => _inner.MaximumRequestSize;

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _inner.ReadAsync(offset, buffer, cancellationToken);
        }
        catch (BlockDeviceException ex)
        {
            throw Renamed(ex);
        }
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "write", offset, data.Length, "a snapshot disk is read-only");

    public ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "write zeroes", offset, length, "a snapshot disk is read-only");

    public ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "trim", offset, length, "a snapshot disk is read-only");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.GetExtentsAsync(offset, length, cancellationToken);
        }
        catch (BlockDeviceException ex)
        {
            throw Renamed(ex);
        }
    }

    public ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken) =>
        throw new BlockDeviceException(Name, "XAPI's NBD server has no dirty bitmaps; changed blocks come from VDI.list_changed_blocks");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _inner.DisposeAsync();
        }
        finally
        {
            await _session.DisposeAsync();
        }
    }

    public override string ToString() => Name;

    private BlockDeviceException Renamed(BlockDeviceException ex) =>
        new(Name, ex.Operation.Length == 0 ? "nbd" : ex.Operation, ex.Offset, ex.Length, Hide(ex.Cause), ex.InnerException) { IsTransient = ex.IsTransient };

    private string Hide(string text) => text.Replace(_exportName, "(export)", StringComparison.Ordinal)
        .Replace(Uri.EscapeDataString(_exportName), "(export)", StringComparison.Ordinal);
}
