using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

/// <summary>
/// A scripted NBD server on 127.0.0.1 for protocol errors real servers never make: it greets, then
/// hands the connection to the test's script. Helpers speak the handshake's pieces.
/// </summary>
public sealed class FakeNbdServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeNbdServer(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Uri = NbdUri.Tcp("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port, "fake");
        _accepting = AcceptAsync(script);
    }

    public NbdUri Uri { get; }

    /// <summary>Sends the greeting (fixed newstyle, no zeroes) and reads the client's flags.</summary>
    public static async Task GreetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var greeting = new byte[18];
        BinaryPrimitives.WriteUInt64BigEndian(greeting, 0x4e42444d41474943);
        BinaryPrimitives.WriteUInt64BigEndian(greeting.AsSpan(8), 0x49484156454F5054);
        BinaryPrimitives.WriteUInt16BigEndian(greeting.AsSpan(16), 3);
        await stream.WriteAsync(greeting, cancellationToken);
        await stream.ReadExactlyAsync(new byte[4], cancellationToken);
    }

    /// <summary>Reads one option: its code and data.</summary>
    public static async Task<(uint Option, byte[] Data)> ReadOptionAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[16];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var data = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12))];
        await stream.ReadExactlyAsync(data, cancellationToken);
        return (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8)), data);
    }

    public static async Task ReplyOptionAsync(NetworkStream stream, uint option, uint type, byte[] data, CancellationToken cancellationToken)
    {
        var reply = new byte[20 + data.Length];
        BinaryPrimitives.WriteUInt64BigEndian(reply, 0x3e889045565a9);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), option);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), type);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), (uint)data.Length);
        data.CopyTo(reply, 20);
        await stream.WriteAsync(reply, cancellationToken);
    }

    /// <summary>
    /// A complete handshake for an export of <paramref name="size"/> bytes: structured replies accepted
    /// (or refused), no meta contexts, GO answered with INFO_EXPORT and ACK.
    /// </summary>
    public static async Task HandshakeAsync(NetworkStream stream, long size, bool structured, CancellationToken cancellationToken)
    {
        await GreetAsync(stream, cancellationToken);
        while (true)
        {
            var (option, _) = await ReadOptionAsync(stream, cancellationToken);
            if (option == 7)
            {
                var info = new byte[12];
                BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(2), (ulong)size);
                BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(10), 1);
                await ReplyOptionAsync(stream, option, 3, info, cancellationToken);
                await ReplyOptionAsync(stream, option, 1, [], cancellationToken);
                return;
            }

            var ok = option == 8 && structured;
            await ReplyOptionAsync(stream, option, ok ? 1u : 0x8000_0001u, [], cancellationToken);
        }
    }

    /// <summary>Reads one request header: type, cookie, offset, length.</summary>
    public static async Task<(ushort Type, ulong Cookie, long Offset, uint Length)> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[28];
        await stream.ReadExactlyAsync(header, cancellationToken);
        return (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)), BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)),
            (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)));
    }

    public static byte[] SimpleReply(uint error, ulong cookie)
    {
        var reply = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(reply, 0x67446698);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), error);
        BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(8), cookie);
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(RunAsync(client, script));
            }
        }
        finally
        {
            await Task.WhenAll(connections);
        }
    }

    private async Task RunAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> script)
    {
        using (client)
        {
            try
            {
                await script(client.GetStream(), _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the test ended.
            }
        }
    }
}
