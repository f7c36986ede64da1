using System.Net.Sockets;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Nbd.NbdProtocol;

namespace ProviderPortal.Replication.Nbd;

/// <summary>
/// An NBD export as a block device: one connection, or several when the server allows multi-conn,
/// with requests spread over the least busy one and large requests split at the maximum payload.
/// </summary>
public sealed class NbdDevice : IBlockDevice
{
    private const int DefaultRequestSize = 256 * 1024;
    private const long MaxCommandLength = 1L << 30;

    private readonly NbdConnection[] _connections;
    private readonly bool _writable;
    private int _next;

    private NbdDevice(string name, NbdConnection[] connections, bool writable)
    {
        Name = name;
        _connections = connections;
        _writable = writable;
        var negotiation = connections[0].Negotiation;
        Size = negotiation.Size;
        var flags = negotiation.TransmissionFlags;
        var capabilities = DeviceCapabilities.None;
        if ((flags & FlagReadOnly) != 0 || !writable)
        {
            capabilities |= DeviceCapabilities.ReadOnly;
        }

        if ((flags & FlagSendFlush) != 0)
        {
            capabilities |= DeviceCapabilities.Flush;
        }

        if ((flags & FlagSendTrim) != 0)
        {
            capabilities |= DeviceCapabilities.Trim;
        }

        if ((flags & FlagSendWriteZeroes) != 0)
        {
            capabilities |= DeviceCapabilities.WriteZeroes;
        }

        if ((flags & FlagCanMultiConn) != 0)
        {
            capabilities |= DeviceCapabilities.MultiConn;
        }

        if (negotiation.MetaContexts.ContainsKey(NbdHandshake.BaseAllocation))
        {
            capabilities |= DeviceCapabilities.Extents;
        }

        if (negotiation.MetaContexts.Keys.Any(k => k.StartsWith(NbdHandshake.DirtyBitmapPrefix, StringComparison.Ordinal)))
        {
            capabilities |= DeviceCapabilities.DirtyBitmap;
        }

        Capabilities = capabilities;
        MinimumBlockSize = negotiation.MinimumBlockSize;
        MaximumRequestSize = negotiation.MaximumPayload / negotiation.MinimumBlockSize * negotiation.MinimumBlockSize;
        PreferredRequestSize = Math.Min(Math.Max(negotiation.PreferredBlockSize, DefaultRequestSize), MaximumRequestSize);
    }

    public string Name { get; }

    public long Size { get; }

    public DeviceCapabilities Capabilities { get; }

    public int MinimumBlockSize { get; }

    public int PreferredRequestSize { get; }

    public int MaximumRequestSize { get; }

    /// <summary>How many connections are open (more than one only when the server allows multi-conn).</summary>
    public int ConnectionCount => _connections.Length;

    /// <summary>True when the handshake had to fall back from NBD_OPT_GO to NBD_OPT_EXPORT_NAME.</summary>
    public bool UsedExportNameFallback => _connections[0].Negotiation.UsedExportName;

    public static Task<NbdDevice> ConnectAsync(string location, BlockDeviceOpenOptions options, CancellationToken cancellationToken) =>
        ConnectAsync(NbdUri.Parse(location), options, cancellationToken);

    public static async Task<NbdDevice> ConnectAsync(NbdUri uri, BlockDeviceOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var name = uri.ToString();
        var first = await OpenConnectionAsync(uri, options, name, cancellationToken).ConfigureAwait(false);
        var connections = new List<NbdConnection> { first };
        try
        {
            if ((first.Negotiation.TransmissionFlags & FlagCanMultiConn) != 0 && options.Connections > 1)
            {
                var more = await Task.WhenAll(Enumerable.Range(1, options.Connections - 1)
                    .Select(_ => OpenConnectionAsync(uri, options, name, cancellationToken))).ConfigureAwait(false);
                connections.AddRange(more);
            }
        }
        catch
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new NbdDevice(name, [.. connections], options.Writable);
    }

    public ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        CheckRange("read", offset, buffer.Length);
        if (buffer.Length <= MaximumRequestSize)
        {
            return Pick().ExecuteAsync(CmdRead, "read", offset, (uint)buffer.Length, default, buffer, null, cancellationToken);
        }

        return ReadSplitAsync(offset, buffer, cancellationToken);
    }

    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        CheckWritable("write", offset, data.Length);
        CheckRange("write", offset, data.Length);
        if (data.Length <= MaximumRequestSize)
        {
            return Pick().ExecuteAsync(CmdWrite, "write", offset, (uint)data.Length, data, default, null, cancellationToken);
        }

        return WriteSplitAsync(offset, data, cancellationToken);
    }

    public async ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckWritable("write-zeroes", offset, length);
        CheckRange("write-zeroes", offset, length);
        if ((Capabilities & DeviceCapabilities.WriteZeroes) != 0)
        {
            await SplitCommandAsync(CmdWriteZeroes, "write-zeroes", offset, length, cancellationToken).ConfigureAwait(false);
            return;
        }

        var zeroes = new byte[(int)Math.Min(length, MaximumRequestSize)];
        for (var done = 0L; done < length; done += zeroes.Length)
        {
            var count = (int)Math.Min(zeroes.Length, length - done);
            await WriteAsync(offset + done, zeroes.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckWritable("trim", offset, length);
        CheckRange("trim", offset, length);

        // A trim is advisory: without server support the data simply stays.
        if ((Capabilities & DeviceCapabilities.Trim) != 0)
        {
            await SplitCommandAsync(CmdTrim, "trim", offset, length, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if ((Capabilities & DeviceCapabilities.Flush) == 0)
        {
            return;
        }

        // With multi-conn (the only way to get several connections) a flush on one connection persists the
        // writes completed on all of them (NBD spec, NBD_FLAG_CAN_MULTI_CONN): one flush, not one fdatasync each.
        if (_connections.Length > 1 && (Capabilities & DeviceCapabilities.MultiConn) != 0)
        {
            await Pick().ExecuteAsync(CmdFlush, "flush", 0, 0, default, default, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var flushes = _connections.Where(c => !c.IsBroken || _connections.Length == 1)
            .Select(c => c.ExecuteAsync(CmdFlush, "flush", 0, 0, default, default, null, cancellationToken).AsTask());
        await Task.WhenAll(flushes).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken)
    {
        CheckRange("block-status", offset, length);
        var extents = new List<Extent>();
        if (length == 0)
        {
            return extents;
        }

        if ((Capabilities & DeviceCapabilities.Extents) == 0)
        {
            extents.Add(new Extent(offset, length, ExtentKind.Data));
            return extents;
        }

        await WalkStatusAsync(NbdHandshake.BaseAllocation, offset, length, (at, count, flags) =>
        {
            var kind = (flags & 1) != 0 ? ExtentKind.Hole : (flags & 2) != 0 ? ExtentKind.Zero : ExtentKind.Data;
            if (extents.Count > 0 && extents[^1].Kind == kind && extents[^1].End == at)
            {
                extents[^1] = extents[^1] with { Length = extents[^1].Length + count };
            }
            else
            {
                extents.Add(new Extent(at, count, kind));
            }
        }, cancellationToken).ConfigureAwait(false);
        return extents;
    }

    public async ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bitmap);
        CheckRange("block-status", offset, length);
        var ranges = new List<ByteRange>();
        if (length == 0)
        {
            return ranges;
        }

        await WalkStatusAsync(NbdHandshake.DirtyBitmapPrefix + bitmap, offset, length, (at, count, flags) =>
        {
            if ((flags & 1) == 0)
            {
                return;
            }

            if (ranges.Count > 0 && ranges[^1].End == at)
            {
                ranges[^1] = ranges[^1] with { Length = ranges[^1].Length + count };
            }
            else
            {
                ranges.Add(new ByteRange(at, count));
            }
        }, cancellationToken).ConfigureAwait(false);
        return ranges;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override string ToString() => Name;

    private static async Task<NbdConnection> OpenConnectionAsync(NbdUri uri, BlockDeviceOpenOptions options, string name, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var socket = uri.IsUnixSocket
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var stage = "connecting";
        try
        {
            socket.SendBufferSize = 4 * 1024 * 1024;
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            if (uri.IsUnixSocket)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.SocketPath!), timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(uri.Host!, uri.Port, timeout.Token).ConfigureAwait(false);
            }

            stage = "the handshake";
            var stream = new NetworkStream(socket, ownsSocket: false);
            var negotiation = await NbdHandshake.NegotiateAsync(stream, uri, options, name, timeout.Token).ConfigureAwait(false);
            return new NbdConnection(socket, negotiation, name, options.Timeout);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new BlockDeviceException(name, $"no answer within {options.Timeout.TotalSeconds:0.#} s during {stage}", ex) { IsTransient = true };
        }
        catch (Exception ex) when (ex is SocketException or IOException and not BlockDeviceException)
        {
            socket.Dispose();
            var cause = ex is EndOfStreamException ? "the server closed the connection" : ex.Message;
            throw new BlockDeviceException(name, $"{stage} failed: {cause}", ex) { IsTransient = true };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async ValueTask WalkStatusAsync(string context, long offset, long length, Action<long, long, uint> onRun, CancellationToken cancellationToken)
    {
        var connection = Pick();
        if (!connection.Negotiation.MetaContexts.TryGetValue(context, out var contextId))
        {
            throw new BlockDeviceException(Name, "block-status", offset, length, $"the meta context {context} was not negotiated (the server does not offer it)");
        }

        var end = offset + length;
        var at = offset;
        var descriptors = new List<NbdStatusDescriptor>();
        while (at < end)
        {
            var count = (uint)Math.Min(end - at, MaxCommandLength);
            descriptors.Clear();
            await connection.ExecuteAsync(CmdBlockStatus, "block-status", at, count, default, default, descriptors, cancellationToken).ConfigureAwait(false);
            var start = at;
            foreach (var descriptor in descriptors)
            {
                if (descriptor.ContextId != contextId || at >= end)
                {
                    continue;
                }

                var run = Math.Min(descriptor.Length, end - at);
                if (run > 0)
                {
                    onRun(at, run, descriptor.Flags);
                    at += run;
                }
            }

            if (at == start)
            {
                throw new BlockDeviceException(Name, "block-status", at, count, $"the server reported no extent for {context}");
            }
        }
    }

    private async ValueTask ReadSplitAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var parts = new List<Task>();
        for (var done = 0; done < buffer.Length; done += MaximumRequestSize)
        {
            var count = Math.Min(MaximumRequestSize, buffer.Length - done);
            parts.Add(Pick().ExecuteAsync(CmdRead, "read", offset + done, (uint)count, default, buffer.Slice(done, count), null, cancellationToken).AsTask());
        }

        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    private async ValueTask WriteSplitAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var parts = new List<Task>();
        for (var done = 0; done < data.Length; done += MaximumRequestSize)
        {
            var count = Math.Min(MaximumRequestSize, data.Length - done);
            parts.Add(Pick().ExecuteAsync(CmdWrite, "write", offset + done, (uint)count, data.Slice(done, count), default, null, cancellationToken).AsTask());
        }

        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    private async ValueTask SplitCommandAsync(ushort command, string operation, long offset, long length, CancellationToken cancellationToken)
    {
        var step = MaxCommandLength / MinimumBlockSize * MinimumBlockSize;
        var parts = new List<Task>();
        for (var done = 0L; done < length; done += step)
        {
            var count = (uint)Math.Min(step, length - done);
            parts.Add(Pick().ExecuteAsync(command, operation, offset + done, count, default, default, null, cancellationToken).AsTask());
        }

        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    private NbdConnection Pick()
    {
        if (_connections.Length == 1)
        {
            return _connections[0];
        }

        // Least busy, starting the scan at a rotating index so ties spread evenly.
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)_connections.Length);
        NbdConnection? best = null;
        for (var i = 0; i < _connections.Length; i++)
        {
            var candidate = _connections[(start + i) % _connections.Length];
            if (candidate.IsBroken)
            {
                continue;
            }

            if (best is null || candidate.InFlight < best.InFlight)
            {
                best = candidate;
            }
        }

        return best ?? _connections[start];
    }

    private void CheckRange(string operation, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Size)
        {
            throw new BlockDeviceException(Name, operation, offset, length, $"the range lies outside the device (size {Size})");
        }
    }

    private void CheckWritable(string operation, long offset, long length)
    {
        if (!_writable || (Capabilities & DeviceCapabilities.ReadOnly) != 0)
        {
            throw new BlockDeviceException(Name, operation, offset, length, _writable ? "the server exports it read-only" : "the device was opened read-only");
        }
    }
}
