using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

/// <summary>NbdDevice against scripted servers that do what real servers should not: refuse GO, answer garbage, stall, hang up.</summary>
public class NbdProtocolErrorTests
{
    private static readonly BlockDeviceOpenOptions _shortTimeout = new() { Timeout = TimeSpan.FromSeconds(1), Connections = 1 };

    // For tests about what a bad answer says, not about time: a busy machine must not turn them into timeouts.
    private static readonly BlockDeviceOpenOptions _patient = new() { Timeout = TimeSpan.FromSeconds(15), Connections = 1 };

    [Fact]
    public async Task ConnectAsync_GoUnsupported_FallsBackToExportNameAndReadsSimpleReplies()
    {
        var disk = new byte[64 * 1024 + 100];
        new Random(1).NextBytes(disk);
        string? askedExport = null;
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.GreetAsync(stream, ct);
            while (true)
            {
                var (option, data) = await FakeNbdServer.ReadOptionAsync(stream, ct);
                if (option == 1)
                {
                    askedExport = System.Text.Encoding.UTF8.GetString(data);
                    var answer = new byte[10];
                    BinaryPrimitives.WriteUInt64BigEndian(answer, (ulong)disk.Length);
                    BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(8), 1 | 2);
                    await stream.WriteAsync(answer, ct);
                    break;
                }

                await FakeNbdServer.ReplyOptionAsync(stream, option, 0x8000_0001, [], ct);
            }

            while (true)
            {
                var (type, cookie, offset, length) = await FakeNbdServer.ReadRequestAsync(stream, ct);
                if (type == 2)
                {
                    return;
                }

                await stream.WriteAsync(FakeNbdServer.SimpleReply(0, cookie), ct);
                await stream.WriteAsync(disk.AsMemory((int)offset, (int)length), ct);
            }
        });

        await using var device = await NbdDevice.ConnectAsync(server.Uri, _patient, default);

        Assert.True(device.UsedExportNameFallback);
        Assert.Equal("fake", askedExport);
        Assert.Equal(disk.Length, device.Size);
        Assert.Equal(DeviceCapabilities.ReadOnly, device.Capabilities);
        var back = new byte[disk.Length];
        await Task.WhenAll(
            device.ReadAsync(0, back.AsMemory(0, 1000), default).AsTask(),
            device.ReadAsync(1000, back.AsMemory(1000), default).AsTask());
        Assert.Equal(disk, back);
        Assert.Equal([new Extent(0, disk.Length, ExtentKind.Data)], await device.GetExtentsAsync(0, disk.Length, default));
    }

    [Fact]
    public async Task ConnectAsync_UnknownExport_NamesTheRefusal()
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.GreetAsync(stream, ct);
            while (true)
            {
                var (option, _) = await FakeNbdServer.ReadOptionAsync(stream, ct);
                await FakeNbdServer.ReplyOptionAsync(stream, option, option == 7 ? 0x8000_0006u : 0x8000_0001u, "no such export"u8.ToArray(), ct);
            }
        });

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => NbdDevice.ConnectAsync(server.Uri, _patient, default));

        Assert.Contains("NBD_OPT_GO", error.Message, StringComparison.Ordinal);
        Assert.Contains("ERR_UNKNOWN", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such export", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("magic", "bad magic 0xdeadbeef")]
    [InlineData("cookie", "matches no request")]
    [InlineData("length", "outside the request")]
    [InlineData("short", "chunks that cover 4088 of its 4096 bytes")]
    public async Task ReadAsync_GarbageReply_FailsWithClearError(string garbage, string expected)
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.HandshakeAsync(stream, 1 << 20, structured: true, ct);
            var (_, cookie, offset, length) = await FakeNbdServer.ReadRequestAsync(stream, ct);
            var reply = new byte[20 + 8];
            BinaryPrimitives.WriteUInt32BigEndian(reply, garbage == "magic" ? 0xdeadbeef : 0x668e33ef);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 1);
            BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(8), garbage == "cookie" ? cookie + 99 : cookie);
            var sent = garbage == "short" ? length - 8 : length;
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), 8 + sent);
            BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(20), (ulong)(garbage == "length" ? offset + 512 : offset));
            await stream.WriteAsync(reply, ct);
            await stream.WriteAsync(new byte[sent], ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var device = await NbdDevice.ConnectAsync(server.Uri, _patient, default);

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(8192, new byte[4096], default).AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Uri.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(8192, error.Offset);
        Assert.Equal(4096, error.Length);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData(5u, "the server answered EIO (5)", false)]
    [InlineData(28u, "the server answered ENOSPC (28)", false)]
    [InlineData(108u, "the server answered ESHUTDOWN (108)", true)]
    public async Task WriteAsync_ServerError_NamesTheErrorCode(uint code, string expected, bool transient)
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.HandshakeAsync(stream, 1 << 20, structured: false, ct);
            while (true)
            {
                var (type, cookie, _, length) = await FakeNbdServer.ReadRequestAsync(stream, ct);
                if (type == 1)
                {
                    await stream.ReadExactlyAsync(new byte[length], ct);
                }

                await stream.WriteAsync(FakeNbdServer.SimpleReply(code, cookie), ct);
            }
        });
        await using var device = await NbdDevice.ConnectAsync(server.Uri, _patient with { Writable = true }, default);

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.WriteAsync(4096, new byte[512], default).AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("write of 512 bytes at offset 4096", error.Message, StringComparison.Ordinal);
        Assert.Equal(transient, error.IsTransient);

        // An error reply leaves the connection usable.
        var second = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(0, new byte[512], default).AsTask());
        Assert.Contains(expected, second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StructuredErrorChunk_NamesCodeAndMessage()
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.HandshakeAsync(stream, 1 << 20, structured: true, ct);
            var (_, cookie, _, _) = await FakeNbdServer.ReadRequestAsync(stream, ct);
            var message = "disk on fire"u8.ToArray();
            var reply = new byte[20 + 6 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(reply, 0x668e33ef);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 32769);
            BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(8), cookie);
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), (uint)(6 + message.Length));
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(20), 1);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(24), (ushort)message.Length);
            message.CopyTo(reply, 26);
            await stream.WriteAsync(reply, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var device = await NbdDevice.ConnectAsync(server.Uri, _patient, default);

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(0, new byte[512], default).AsTask());

        Assert.Contains("the server answered EPERM (1): disk on fire", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ServerStalls_FailsTransientWithinTimeout()
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.HandshakeAsync(stream, 1 << 20, structured: true, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var device = await NbdDevice.ConnectAsync(server.Uri, _shortTimeout, default);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => device.ReadAsync(0, new byte[4096], default).AsTask());

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the stalled read took {watch.Elapsed}");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"the read failed after only {watch.Elapsed}");
        Assert.True(error.IsTransient);
        Assert.Contains("no reply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ServerStallsInHandshake_FailsTransientWithinTimeout()
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.GreetAsync(stream, ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => NbdDevice.ConnectAsync(server.Uri, _shortTimeout, default));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the stalled handshake took {watch.Elapsed}");
        Assert.True(error.IsTransient);
        Assert.Contains("handshake", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ServerHangsUp_FailsAllPendingTransient()
    {
        await using var server = new FakeNbdServer(async (stream, ct) =>
        {
            await FakeNbdServer.HandshakeAsync(stream, 1 << 20, structured: true, ct);
            await FakeNbdServer.ReadRequestAsync(stream, ct);
            await FakeNbdServer.ReadRequestAsync(stream, ct);
            stream.Socket.Close();
        });
        await using var device = await NbdDevice.ConnectAsync(server.Uri, _shortTimeout with { Timeout = TimeSpan.FromSeconds(30) }, default);

        var first = device.ReadAsync(0, new byte[4096], default).AsTask();
        var second = device.ReadAsync(4096, new byte[4096], default).AsTask();

        Assert.True((await Assert.ThrowsAsync<BlockDeviceException>(() => first)).IsTransient);
        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => second);
        Assert.True(error.IsTransient);
        Assert.Equal(4096, error.Offset);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsTransient()
    {
        var port = NbdPeer.FreePort();

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => NbdDevice.ConnectAsync(NbdUri.Tcp("127.0.0.1", port, "x"), _shortTimeout, default));

        Assert.True(error.IsTransient);
        Assert.Contains("connecting failed", error.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(error.InnerException);
    }
}
