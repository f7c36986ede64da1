using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Nbd.NbdProtocol;

namespace ProviderPortal.Replication.Nbd;

/// <summary>
/// One NBD connection in transmission: many requests in flight, request writes serialized, and a single
/// reader loop that matches replies (in any order) to requests by cookie and reads data straight into
/// the caller's buffer. Only the reader loop completes requests, so a buffer is never written after its
/// request failed; everything else that must stop the connection closes the socket and lets it report.
/// </summary>
internal sealed class NbdConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 256 * 1024;

    // Header reads take at most this much: what follows a header is mostly payload, better read straight into its buffer.
    private const int HeaderReadSize = 16 * 1024;
    private const int MaxStatusChunk = 64 * 1024 * 1024;
    private const int MaxErrorChunk = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly string _device;
    private readonly long _timeoutMs;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _requestHeader = new byte[28];
    private readonly Dictionary<ulong, NbdRequest> _pending = [];
    private readonly ConcurrentQueue<NbdRequest> _pool = new();
    private readonly Action<NbdRequest> _returnToPool;
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly Timer _watchdog;
    private readonly Task _readLoop;
    private int _readStart;
    private int _readEnd;
    private ulong _nextCookie;
    private long _lastProgress;
    private int _inFlight;
    private bool _closed;
    private string? _abortCause;
    private bool _abortTransient;
    private string? _failureCause;
    private bool _failureTransient;

    public NbdConnection(Socket socket, NbdNegotiation negotiation, string device, TimeSpan timeout)
    {
        _socket = socket;
        _stream = negotiation.Stream;
        Negotiation = negotiation;
        _device = device;
        _timeoutMs = (long)timeout.TotalMilliseconds;
        _returnToPool = _pool.Enqueue;
        _lastProgress = Environment.TickCount64;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_timeoutMs / 4, 50, 1000));
        _watchdog = new Timer(static state => ((NbdConnection)state!).CheckProgress(), this, period, period);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public NbdNegotiation Negotiation { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsBroken => Volatile.Read(ref _failureCause) is not null;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(
        ushort command, string operation, long offset, uint length, ReadOnlyMemory<byte> payload, Memory<byte> destination,
        List<NbdStatusDescriptor>? status, CancellationToken cancellationToken)
    {
        // Once sent, a request is not cancelled: the server may still write into the caller's buffer.
        cancellationToken.ThrowIfCancellationRequested();
        if (!_pool.TryDequeue(out var request))
        {
            request = new NbdRequest(_returnToPool);
        }

        request.Command = command;
        request.Operation = operation;
        request.Offset = offset;
        request.Length = length;
        request.Destination = destination;
        request.Status = status;

        ulong cookie;
        lock (_pending)
        {
            if (_failureCause is not null || _closed)
            {
                var cause = _failureCause ?? "the device was closed";
                var transient = _failureCause is not null && _failureTransient;
                _pool.Enqueue(request);
                throw new BlockDeviceException(_device, operation, offset, length, cause) { IsTransient = transient };
            }

            cookie = ++_nextCookie;
            if (_pending.Count == 0)
            {
                Volatile.Write(ref _lastProgress, Environment.TickCount64);
            }

            _pending.Add(cookie, request);
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                WriteHeader(command, offset, length, cookie);
                await _stream.WriteAsync(_requestHeader, CancellationToken.None).ConfigureAwait(false);
                if (!payload.IsEmpty)
                {
                    await _stream.WriteAsync(payload, CancellationToken.None).ConfigureAwait(false);
                }

                Volatile.Write(ref _lastProgress, Environment.TickCount64);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
            {
                Abort($"sending the request failed ({ex.Message})", transient: true);
            }
            finally
            {
                _writeLock.Release();
            }

            await new ValueTask(request, request.Version).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync()
    {
        bool send;
        lock (_pending)
        {
            send = !_closed && _failureCause is null;
            _closed = true;
        }

        if (send)
        {
            await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                WriteHeader(CmdDisconnect, 0, 0, 0);
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Min(_timeoutMs, 5000)));
                await _stream.WriteAsync(_requestHeader, cts.Token).ConfigureAwait(false);
                await _stream.FlushAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
            {
                // The server is gone already: nothing to say goodbye to.
            }
            finally
            {
                _writeLock.Release();
            }
        }

        Abort("the device was closed", transient: false);
        await _readLoop.ConfigureAwait(false);
        await _watchdog.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _writeLock.Dispose();
    }

    private void WriteHeader(ushort command, long offset, uint length, ulong cookie)
    {
        var span = _requestHeader.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, RequestMagic);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], command);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], cookie);
        BinaryPrimitives.WriteUInt64BigEndian(span[16..], (ulong)offset);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], length);
    }

    private void CheckProgress()
    {
        if (InFlight == 0 || Volatile.Read(ref _failureCause) is not null)
        {
            return;
        }

        var idle = Environment.TickCount64 - Volatile.Read(ref _lastProgress);
        if (idle > _timeoutMs && PendingCount() > 0)
        {
            Abort($"the server sent no reply for {idle / 1000.0:0.#} s (timeout {_timeoutMs / 1000.0:0.#} s)", transient: true);
        }
    }

    private int PendingCount()
    {
        lock (_pending)
        {
            return _pending.Count;
        }
    }

    /// <summary>Stops the connection: the first cause wins, and the reader loop fails what is pending with it.</summary>
    private void Abort(string cause, bool transient)
    {
        lock (_pending)
        {
            if (_abortCause is null)
            {
                _abortCause = cause;
                _abortTransient = transient;
            }
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Close();
    }

    private async Task ReadLoopAsync()
    {
        string cause;
        var transient = true;
        try
        {
            while (true)
            {
                await FillAsync(4).ConfigureAwait(false);
                var magic = BinaryPrimitives.ReadUInt32BigEndian(_readBuffer.AsSpan(_readStart));
                if (magic == SimpleReplyMagic)
                {
                    await ReadSimpleReplyAsync().ConfigureAwait(false);
                }
                else if (magic == StructuredReplyMagic && Negotiation.StructuredReplies)
                {
                    await ReadStructuredChunkAsync().ConfigureAwait(false);
                }
                else
                {
                    throw new NbdProtocolException($"the server sent a reply with a bad magic 0x{magic:x8}");
                }
            }
        }
        catch (NbdProtocolException ex)
        {
            cause = ex.Message;
            transient = false;
        }
        catch (Exception ex)
        {
            cause = ex is EndOfStreamException
                ? "the server closed the connection"
                : $"the connection to the server was lost ({ex.Message})";
        }

        lock (_pending)
        {
            if (_abortCause is not null)
            {
                cause = _abortCause;
                transient = _abortTransient;
            }

            _failureTransient = transient;
            Volatile.Write(ref _failureCause, cause);
        }

        Abort(cause, transient);
        List<NbdRequest> failed;
        lock (_pending)
        {
            failed = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var request in failed)
        {
            request.Fail(new BlockDeviceException(_device, request.Operation, request.Offset, request.Length, cause) { IsTransient = transient });
        }
    }

    private async ValueTask ReadSimpleReplyAsync()
    {
        await FillAsync(16).ConfigureAwait(false);
        var header = _readBuffer.AsSpan(_readStart, 16);
        var error = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var cookie = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        _readStart += 16;
        var request = Find(cookie, "a simple reply");
        if (error == 0 && request.Command == CmdRead)
        {
            await ReadIntoAsync(request.Destination).ConfigureAwait(false);
        }

        Complete(cookie, request, error, null);
    }

    private async ValueTask ReadStructuredChunkAsync()
    {
        await FillAsync(20).ConfigureAwait(false);
        var header = _readBuffer.AsSpan(_readStart, 20);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        var type = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        var cookie = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
        _readStart += 20;
        var request = Find(cookie, $"a reply chunk of type {type}");
        switch (type)
        {
            case ChunkNone:
                if (length != 0 || (flags & ReplyFlagDone) == 0)
                {
                    throw Garbage(request, $"a NONE chunk with {length} bytes{((flags & ReplyFlagDone) == 0 ? " and no DONE flag" : "")}");
                }

                break;
            case ChunkOffsetData:
                {
                    if (request.Command != CmdRead || length < 8)
                    {
                        throw Garbage(request, $"a data chunk of {length} bytes");
                    }

                    await FillAsync(8).ConfigureAwait(false);
                    var at = (long)BinaryPrimitives.ReadUInt64BigEndian(_readBuffer.AsSpan(_readStart));
                    _readStart += 8;
                    var count = length - 8;
                    CheckInside(request, at, count, "data");
                    await ReadIntoAsync(request.Destination.Slice((int)(at - request.Offset), (int)count)).ConfigureAwait(false);
                    request.Covered += count;
                    break;
                }

            case ChunkOffsetHole:
                {
                    if (request.Command != CmdRead || length != 12)
                    {
                        throw Garbage(request, $"a hole chunk of {length} bytes (12 expected)");
                    }

                    await FillAsync(12).ConfigureAwait(false);
                    var at = (long)BinaryPrimitives.ReadUInt64BigEndian(_readBuffer.AsSpan(_readStart));
                    var count = BinaryPrimitives.ReadUInt32BigEndian(_readBuffer.AsSpan(_readStart + 8));
                    _readStart += 12;
                    CheckInside(request, at, count, "hole");
                    request.Destination.Span.Slice((int)(at - request.Offset), (int)count).Clear();
                    request.Covered += count;
                    break;
                }

            case ChunkBlockStatus:
                {
                    if (request.Command != CmdBlockStatus || length < 12 || (length - 4) % 8 != 0 || length > MaxStatusChunk)
                    {
                        throw Garbage(request, $"a block-status chunk of {length} bytes");
                    }

                    var payload = ArrayPool<byte>.Shared.Rent((int)length);
                    try
                    {
                        await ReadIntoAsync(payload.AsMemory(0, (int)length)).ConfigureAwait(false);
                        var context = BinaryPrimitives.ReadUInt32BigEndian(payload);
                        for (var i = 4; i < length; i += 8)
                        {
                            request.Status!.Add(new NbdStatusDescriptor(
                                context,
                                BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i)),
                                BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 4))));
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(payload);
                    }

                    break;
                }

            case ChunkError:
            case ChunkErrorOffset:
                {
                    if (length < 6 || length > MaxErrorChunk)
                    {
                        throw Garbage(request, $"an error chunk of {length} bytes");
                    }

                    var payload = new byte[length];
                    await ReadIntoAsync(payload).ConfigureAwait(false);
                    var error = BinaryPrimitives.ReadUInt32BigEndian(payload);
                    var messageLength = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(4));
                    if (6 + messageLength > length || (type == ChunkErrorOffset && 6 + messageLength + 8 != length))
                    {
                        throw Garbage(request, $"an error chunk whose message of {messageLength} bytes does not fit its {length} bytes");
                    }

                    var message = Encoding.UTF8.GetString(payload, 6, messageLength);
                    if (type == ChunkErrorOffset)
                    {
                        var at = (long)BinaryPrimitives.ReadUInt64BigEndian(payload.AsSpan(6 + messageLength));
                        message = string.IsNullOrEmpty(message) ? $"at offset {at}" : $"{message} (at offset {at})";
                    }

                    if (request.Error == 0)
                    {
                        request.Error = error == 0 ? 5u : error;
                        request.ErrorMessage = message;
                    }

                    break;
                }

            default:
                throw Garbage(request, $"a reply chunk of unknown type {type}");
        }

        if ((flags & ReplyFlagDone) != 0)
        {
            if (request.Command == CmdRead && request.Error == 0 && request.Covered != request.Length)
            {
                throw Garbage(request, $"chunks that cover {request.Covered} of its {request.Length} bytes");
            }

            Complete(cookie, request, request.Error, request.ErrorMessage);
        }
    }

    private void Complete(ulong cookie, NbdRequest request, uint error, string? message)
    {
        lock (_pending)
        {
            _pending.Remove(cookie);
        }

        if (error == 0)
        {
            request.Succeed();
        }
        else
        {
            request.Fail(new BlockDeviceException(_device, request.Operation, request.Offset, request.Length, DescribeServerError(error, message))
            {
                IsTransient = error == ErrShutdown,
            });
        }
    }

    private NbdRequest Find(ulong cookie, string what)
    {
        lock (_pending)
        {
            if (_pending.TryGetValue(cookie, out var request))
            {
                return request;
            }
        }

        throw new NbdProtocolException($"the server sent {what} for cookie {cookie}, which matches no request in flight");
    }

    private static void CheckInside(NbdRequest request, long at, uint count, string what)
    {
        if (at < request.Offset || at + count > request.Offset + request.Length)
        {
            throw Garbage(request, $"a {what} chunk for [{at}, {at + count}) outside the request [{request.Offset}, {request.Offset + request.Length})");
        }
    }

    private static NbdProtocolException Garbage(NbdRequest request, string what) =>
        new($"the server answered the {request.Operation} at offset {request.Offset} of {request.Length} bytes with {what}");

    private async ValueTask FillAsync(int count)
    {
        if (_readEnd - _readStart >= count)
        {
            return;
        }

        if (_readBuffer.Length - _readStart < count)
        {
            Buffer.BlockCopy(_readBuffer, _readStart, _readBuffer, 0, _readEnd - _readStart);
            _readEnd -= _readStart;
            _readStart = 0;
        }

        while (_readEnd - _readStart < count)
        {
            // A reply split in small segments (qemu-nbd) must not wait for our delayed ACK.
            NbdProtocol.QuickAck(_socket);
            var room = Math.Min(_readBuffer.Length - _readEnd, Math.Max(HeaderReadSize, count - (_readEnd - _readStart)));
            var read = await _stream.ReadAsync(_readBuffer.AsMemory(_readEnd, room), CancellationToken.None).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            _readEnd += read;
            Volatile.Write(ref _lastProgress, Environment.TickCount64);
        }
    }

    private async ValueTask ReadIntoAsync(Memory<byte> destination)
    {
        var buffered = Math.Min(_readEnd - _readStart, destination.Length);
        if (buffered > 0)
        {
            _readBuffer.AsSpan(_readStart, buffered).CopyTo(destination.Span);
            _readStart += buffered;
            destination = destination[buffered..];
        }

        if (_readStart == _readEnd)
        {
            _readStart = _readEnd = 0;
        }

        while (!destination.IsEmpty)
        {
            if (destination.Length >= ReadBufferSize / 4)
            {
                // Large payloads go straight into the caller's buffer.
                var read = await _stream.ReadAsync(destination, CancellationToken.None).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                destination = destination[read..];
                Volatile.Write(ref _lastProgress, Environment.TickCount64);
            }
            else
            {
                await FillAsync(1).ConfigureAwait(false);
                var count = Math.Min(_readEnd - _readStart, destination.Length);
                _readBuffer.AsSpan(_readStart, count).CopyTo(destination.Span);
                _readStart += count;
                destination = destination[count..];
            }
        }
    }
}
