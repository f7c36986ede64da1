namespace ProviderPortal.Replication.Devices;

/// <summary>
/// A sparse in-memory disk for tests: 64 KiB chunks that are absent (hole), allocated zero, or data.
/// Counts its requests, remembers writes not yet flushed, and can fail or stall a chosen request.
/// <see cref="Reopen"/> gives a second handle on the same bytes, as reconnecting to an export would.
/// </summary>
public sealed class MemoryDevice : IBlockDevice
{
    public const int ChunkSize = 64 * 1024;

    public const DeviceCapabilities DefaultCapabilities = DeviceCapabilities.Extents | DeviceCapabilities.DirtyBitmap
        | DeviceCapabilities.WriteZeroes | DeviceCapabilities.Trim | DeviceCapabilities.Flush
        | DeviceCapabilities.MultiConn | DeviceCapabilities.ZeroInitialized;

    private readonly Store _store;
    private readonly DeviceCapabilities _capabilities;
    private readonly List<ByteRange> _unflushed = [];
    private int _requestCount;
    private int _failOnRequest;
    private bool _failTransient;
    private int _stallOnRequest;
    private long _corruptOffset = -1;
    private long _readRequests;
    private long _bytesRead;
    private long _bytesWritten;
    private long _bytesZeroed;
    private int _flushCount;
    private bool _disposed;

    public MemoryDevice(string name, long size, DeviceCapabilities capabilities = DefaultCapabilities)
        : this(new Store(name, size), capabilities)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
    }

    private MemoryDevice(Store store, DeviceCapabilities capabilities)
    {
        _store = store;
        _capabilities = capabilities;
    }

    public string Name => _store.Name;

    public long Size => _store.Size;

    /// <summary>As constructed, except that ZeroInitialized is dropped once anything has been written to the bytes.</summary>
    public DeviceCapabilities Capabilities =>
        _store.EverWritten ? _capabilities & ~DeviceCapabilities.ZeroInitialized : _capabilities;

    public int MinimumBlockSize { get; init; } = 1;

    public int PreferredRequestSize { get; init; } = 4 * 1024 * 1024;

    public int MaximumRequestSize { get; init; } = 32 * 1024 * 1024;

    /// <summary>Each read, write or write-zeroes waits this long first (to make a copy slow enough to cancel).</summary>
    public TimeSpan RequestDelay { get; set; }

    public long ReadRequests => Interlocked.Read(ref _readRequests);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long BytesZeroed => Interlocked.Read(ref _bytesZeroed);

    public int FlushCount => Volatile.Read(ref _flushCount);

    /// <summary>Ranges written or zeroed through this handle since its last flush.</summary>
    public IReadOnlyList<ByteRange> UnflushedRanges
    {
        get
        {
            lock (_unflushed)
            {
                return [.. _unflushed];
            }
        }
    }

    /// <summary>A new handle on the same bytes and dirty bitmaps, with fresh counters and no faults.</summary>
    public MemoryDevice Reopen() => new(_store, _capabilities)
    {
        MinimumBlockSize = MinimumBlockSize,
        PreferredRequestSize = PreferredRequestSize,
        MaximumRequestSize = MaximumRequestSize,
    };

    /// <summary>The <paramref name="requestNumber"/>th read, write or write-zeroes (1-based) throws.</summary>
    public void FailRequest(int requestNumber, bool transient = true)
    {
        _failOnRequest = requestNumber;
        _failTransient = transient;
    }

    /// <summary>The <paramref name="requestNumber"/>th request (1-based) waits until it is cancelled.</summary>
    public void StallRequest(int requestNumber) => _stallOnRequest = requestNumber;

    /// <summary>Whenever the byte at <paramref name="offset"/> is written, it is stored with its bits flipped.</summary>
    public void CorruptWritesAt(long offset) => _corruptOffset = offset;

    public void MarkDirty(string bitmap, long offset, long length)
    {
        lock (_store.Sync)
        {
            if (!_store.Bitmaps.TryGetValue(bitmap, out var ranges))
            {
                _store.Bitmaps[bitmap] = ranges = [];
            }

            ranges.Add(new ByteRange(offset, length));
        }
    }

    /// <summary>A copy of [offset, offset+length) that bypasses counters and faults.</summary>
    public byte[] Snapshot(long offset, int length)
    {
        var bytes = new byte[length];
        lock (_store.Sync)
        {
            _store.Read(offset, bytes);
        }

        return bytes;
    }

    /// <summary>All bytes, bypassing counters and faults.</summary>
    public byte[] ToArray() => Snapshot(0, checked((int)Size));

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await BeginRequestAsync("read", offset, buffer.Length, cancellationToken);
        lock (_store.Sync)
        {
            _store.Read(offset, buffer.Span);
        }

        Interlocked.Increment(ref _readRequests);
        Interlocked.Add(ref _bytesRead, buffer.Length);
    }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await BeginRequestAsync("write", offset, data.Length, cancellationToken);
        ThrowIfReadOnly("write", offset, data.Length);
        lock (_store.Sync)
        {
            _store.Write(offset, data.Span);
            var corrupt = _corruptOffset;
            if (corrupt >= offset && corrupt < offset + data.Length)
            {
                Span<byte> flipped = [(byte)~data.Span[(int)(corrupt - offset)]];
                _store.Write(corrupt, flipped);
            }
        }

        Interlocked.Add(ref _bytesWritten, data.Length);
        RememberUnflushed(offset, data.Length);
    }

    public async ValueTask WriteZeroesAsync(long offset, long length, CancellationToken cancellationToken)
    {
        await BeginRequestAsync("write-zeroes", offset, length, cancellationToken);
        ThrowIfReadOnly("write-zeroes", offset, length);
        lock (_store.Sync)
        {
            _store.Deallocate(offset, length, keepAllocated: true);
        }

        Interlocked.Add(ref _bytesZeroed, length);
        RememberUnflushed(offset, length);
    }

    public ValueTask TrimAsync(long offset, long length, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRange("trim", offset, length);
        ThrowIfReadOnly("trim", offset, length);
        lock (_store.Sync)
        {
            _store.Deallocate(offset, length, keepAllocated: false);
        }

        RememberUnflushed(offset, length);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_unflushed)
        {
            _unflushed.Clear();
        }

        Interlocked.Increment(ref _flushCount);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Extent>> GetExtentsAsync(long offset, long length, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRange("block-status", offset, length);
        if (!_capabilities.HasFlag(DeviceCapabilities.Extents))
        {
            return ValueTask.FromResult<IReadOnlyList<Extent>>([new Extent(offset, length, ExtentKind.Data)]);
        }

        lock (_store.Sync)
        {
            return ValueTask.FromResult(_store.Extents(offset, length));
        }
    }

    public ValueTask<IReadOnlyList<ByteRange>> GetDirtyRangesAsync(string bitmap, long offset, long length, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_capabilities.HasFlag(DeviceCapabilities.DirtyBitmap))
        {
            throw new BlockDeviceException(Name, $"has no dirty bitmaps (asked for {bitmap})");
        }

        lock (_store.Sync)
        {
            if (!_store.Bitmaps.TryGetValue(bitmap, out var ranges))
            {
                throw new BlockDeviceException(Name, $"has no dirty bitmap named {bitmap}");
            }

            var clipped = new List<ByteRange>();
            foreach (var range in ranges.OrderBy(r => r.Offset))
            {
                var start = Math.Max(range.Offset, offset);
                var end = Math.Min(range.End, offset + length);
                if (end <= start)
                {
                    continue;
                }

                if (clipped.Count > 0 && clipped[^1].End >= start)
                {
                    var last = clipped[^1];
                    clipped[^1] = last with { Length = Math.Max(last.End, end) - last.Offset };
                }
                else
                {
                    clipped.Add(new ByteRange(start, end - start));
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ByteRange>>(clipped);
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private async ValueTask BeginRequestAsync(string operation, long offset, long length, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        CheckRange(operation, offset, length);
        var number = Interlocked.Increment(ref _requestCount);
        if (RequestDelay > TimeSpan.Zero)
        {
            await Task.Delay(RequestDelay, cancellationToken);
        }

        if (number == _stallOnRequest)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (number == _failOnRequest)
        {
            throw new BlockDeviceException(Name, operation, offset, length, "injected fault") { IsTransient = _failTransient };
        }
    }

    private void CheckRange(string operation, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Size)
        {
            throw new BlockDeviceException(Name, operation, offset, length, $"the range is outside the device's {Size} bytes");
        }
    }

    private void ThrowIfReadOnly(string operation, long offset, long length)
    {
        if (_capabilities.HasFlag(DeviceCapabilities.ReadOnly))
        {
            throw new BlockDeviceException(Name, operation, offset, length, "the device is read-only");
        }
    }

    private void RememberUnflushed(long offset, long length)
    {
        lock (_unflushed)
        {
            _unflushed.Add(new ByteRange(offset, length));
        }
    }

    private sealed class Store(string name, long size)
    {
        // A null value is an allocated chunk that reads as zeroes; an absent key is a hole.
        private readonly Dictionary<long, byte[]?> _chunks = [];

        public string Name { get; } = name;

        public long Size { get; } = size;

        public object Sync { get; } = new();

        public Dictionary<string, List<ByteRange>> Bitmaps { get; } = [];

        public bool EverWritten { get; private set; }

        public void Read(long offset, Span<byte> destination)
        {
            while (!destination.IsEmpty)
            {
                var index = offset / ChunkSize;
                var within = (int)(offset % ChunkSize);
                var count = Math.Min(destination.Length, ChunkSize - within);
                if (_chunks.TryGetValue(index, out var chunk) && chunk is not null)
                {
                    chunk.AsSpan(within, count).CopyTo(destination);
                }
                else
                {
                    destination[..count].Clear();
                }

                destination = destination[count..];
                offset += count;
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> source)
        {
            EverWritten = true;
            while (!source.IsEmpty)
            {
                var index = offset / ChunkSize;
                var within = (int)(offset % ChunkSize);
                var count = Math.Min(source.Length, ChunkSize - within);
                if (!_chunks.TryGetValue(index, out var chunk) || chunk is null)
                {
                    _chunks[index] = chunk = new byte[ChunkSize];
                }

                source[..count].CopyTo(chunk.AsSpan(within));
                source = source[count..];
                offset += count;
            }
        }

        public void Deallocate(long offset, long length, bool keepAllocated)
        {
            EverWritten = true;
            var end = offset + length;
            while (offset < end)
            {
                var index = offset / ChunkSize;
                var within = (int)(offset % ChunkSize);
                var count = (int)Math.Min(end - offset, ChunkSize - within);
                var whole = within == 0 && (count == ChunkSize || offset + count == Size);
                if (whole)
                {
                    if (keepAllocated)
                    {
                        _chunks[index] = null;
                    }
                    else
                    {
                        _chunks.Remove(index);
                    }
                }
                else if (_chunks.TryGetValue(index, out var chunk) && chunk is not null)
                {
                    chunk.AsSpan(within, count).Clear();
                }

                offset += count;
            }
        }

        public IReadOnlyList<Extent> Extents(long offset, long length)
        {
            var extents = new List<Extent>();
            var end = offset + length;
            while (offset < end)
            {
                var index = offset / ChunkSize;
                var count = Math.Min(end - offset, ((index + 1) * ChunkSize) - offset);
                var kind = !_chunks.TryGetValue(index, out var chunk) ? ExtentKind.Hole
                    : chunk is null ? ExtentKind.Zero
                    : ExtentKind.Data;
                if (extents.Count > 0 && extents[^1].Kind == kind)
                {
                    extents[^1] = extents[^1] with { Length = extents[^1].Length + count };
                }
                else
                {
                    extents.Add(new Extent(offset, count, kind));
                }

                offset += count;
            }

            return extents;
        }
    }
}
