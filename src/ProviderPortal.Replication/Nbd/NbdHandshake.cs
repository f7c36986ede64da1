using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Nbd.NbdProtocol;

namespace ProviderPortal.Replication.Nbd;

/// <summary>The fixed-newstyle handshake of one connection, from the server's greeting to transmission.</summary>
internal static class NbdHandshake
{
    public const string BaseAllocation = "base:allocation";
    public const string DirtyBitmapPrefix = "qemu:dirty-bitmap:";

    private const int MaxOptionReply = 16 * 1024 * 1024;

    public static async Task<NbdNegotiation> NegotiateAsync(
        Stream stream, NbdUri uri, BlockDeviceOpenOptions options, string device, CancellationToken cancellationToken)
    {
        var greeting = new byte[18];
        await stream.ReadExactlyAsync(greeting, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt64BigEndian(greeting) != NbdMagic)
        {
            throw new BlockDeviceException(device, "the server did not greet with NBDMAGIC: it is not an NBD server");
        }

        var second = BinaryPrimitives.ReadUInt64BigEndian(greeting.AsSpan(8));
        if (second == OldStyleMagic)
        {
            throw new BlockDeviceException(device, "the server speaks oldstyle NBD, which is not supported");
        }

        if (second != OptionMagic)
        {
            throw new BlockDeviceException(device, $"the server's greeting has an unknown magic 0x{second:x16}");
        }

        var serverFlags = BinaryPrimitives.ReadUInt16BigEndian(greeting.AsSpan(16));
        if ((serverFlags & HandshakeFixedNewstyle) == 0)
        {
            throw new BlockDeviceException(device, "the server does not offer fixed newstyle negotiation");
        }

        var noZeroes = (serverFlags & HandshakeNoZeroes) != 0;
        var clientFlags = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(clientFlags, HandshakeFixedNewstyle | (noZeroes ? HandshakeNoZeroes : 0u));
        await stream.WriteAsync(clientFlags, cancellationToken).ConfigureAwait(false);

        if (options.PinnedCertificateSha256 is { } pin)
        {
            await SendOptionAsync(stream, OptStartTls, [], cancellationToken).ConfigureAwait(false);
            var tlsReply = await ReadOptionReplyAsync(stream, OptStartTls, device, cancellationToken).ConfigureAwait(false);
            if (tlsReply.Type != RepAck)
            {
                throw Refused(device, OptStartTls, tlsReply);
            }

            stream = await StartTlsAsync(stream, uri, pin, device, cancellationToken).ConfigureAwait(false);
        }

        await SendOptionAsync(stream, OptStructuredReply, [], cancellationToken).ConfigureAwait(false);
        var structuredReply = await ReadOptionReplyAsync(stream, OptStructuredReply, device, cancellationToken).ConfigureAwait(false);
        ThrowIfTlsRequired(device, OptStructuredReply, structuredReply);
        var structured = structuredReply.Type == RepAck;

        var contexts = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (structured)
        {
            await NegotiateMetaContextsAsync(stream, uri.Export, options.DirtyBitmaps, contexts, device, cancellationToken).ConfigureAwait(false);
        }

        var exportName = Encoding.UTF8.GetBytes(uri.Export);
        var go = new byte[4 + exportName.Length + 2 + 2];
        BinaryPrimitives.WriteUInt32BigEndian(go, (uint)exportName.Length);
        exportName.CopyTo(go, 4);
        BinaryPrimitives.WriteUInt16BigEndian(go.AsSpan(4 + exportName.Length), 1);
        BinaryPrimitives.WriteUInt16BigEndian(go.AsSpan(6 + exportName.Length), InfoBlockSize);
        await SendOptionAsync(stream, OptGo, go, cancellationToken).ConfigureAwait(false);

        long? size = null;
        ushort flags = 0;
        int minimum = 1, preferred = 4096, maximum = DefaultMaxPayload;
        while (true)
        {
            var reply = await ReadOptionReplyAsync(stream, OptGo, device, cancellationToken).ConfigureAwait(false);
            if (reply.Type == RepInfo && reply.Data.Length >= 2)
            {
                var info = BinaryPrimitives.ReadUInt16BigEndian(reply.Data);
                if (info == InfoExport && reply.Data.Length >= 12)
                {
                    size = (long)BinaryPrimitives.ReadUInt64BigEndian(reply.Data.AsSpan(2));
                    flags = BinaryPrimitives.ReadUInt16BigEndian(reply.Data.AsSpan(10));
                }
                else if (info == InfoBlockSize && reply.Data.Length >= 14)
                {
                    minimum = (int)Math.Clamp(BinaryPrimitives.ReadUInt32BigEndian(reply.Data.AsSpan(2)), 1u, 64u * 1024);
                    preferred = (int)Math.Clamp(BinaryPrimitives.ReadUInt32BigEndian(reply.Data.AsSpan(6)), (uint)minimum, 32u * 1024 * 1024);
                    maximum = (int)Math.Clamp(BinaryPrimitives.ReadUInt32BigEndian(reply.Data.AsSpan(10)), (uint)minimum, (uint)DefaultMaxPayload);
                }
            }
            else if (reply.Type == RepAck)
            {
                if (size is null)
                {
                    throw new BlockDeviceException(device, "the server finished NBD_OPT_GO without telling the export's size");
                }

                return new NbdNegotiation(stream, size.Value, flags, minimum, preferred, maximum, structured, contexts, false);
            }
            else if (reply.Type == RepErrUnsup)
            {
                return await ExportNameAsync(stream, exportName, noZeroes, structured, contexts, device, cancellationToken).ConfigureAwait(false);
            }
            else if ((reply.Type & RepErrorBit) != 0)
            {
                throw Refused(device, OptGo, reply);
            }
        }
    }

    private static async Task<NbdNegotiation> ExportNameAsync(
        Stream stream, byte[] exportName, bool noZeroes, bool structured, Dictionary<string, uint> contexts, string device, CancellationToken cancellationToken)
    {
        await SendOptionAsync(stream, OptExportName, exportName, cancellationToken).ConfigureAwait(false);
        var answer = new byte[noZeroes ? 10 : 134];
        try
        {
            await stream.ReadExactlyAsync(answer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new BlockDeviceException(device, "the server closed the connection after NBD_OPT_EXPORT_NAME: the export does not exist", ex);
        }

        var size = (long)BinaryPrimitives.ReadUInt64BigEndian(answer);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(8));
        return new NbdNegotiation(stream, size, flags, 1, 4096, DefaultMaxPayload, structured, contexts, true);
    }

    private static async Task NegotiateMetaContextsAsync(
        Stream stream, string export, IReadOnlyList<string> bitmaps, Dictionary<string, uint> contexts, string device, CancellationToken cancellationToken)
    {
        var queries = new List<byte[]> { Encoding.UTF8.GetBytes(BaseAllocation) };
        queries.AddRange(bitmaps.Select(b => Encoding.UTF8.GetBytes(DirtyBitmapPrefix + b)));
        var exportName = Encoding.UTF8.GetBytes(export);
        var data = new byte[4 + exportName.Length + 4 + queries.Sum(q => 4 + q.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)exportName.Length);
        exportName.CopyTo(data, 4);
        var at = 4 + exportName.Length;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), (uint)queries.Count);
        at += 4;
        foreach (var query in queries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), (uint)query.Length);
            query.CopyTo(data, at + 4);
            at += 4 + query.Length;
        }

        await SendOptionAsync(stream, OptSetMetaContext, data, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var reply = await ReadOptionReplyAsync(stream, OptSetMetaContext, device, cancellationToken).ConfigureAwait(false);
            if (reply.Type == RepMetaContext && reply.Data.Length >= 4)
            {
                contexts[Encoding.UTF8.GetString(reply.Data.AsSpan(4))] = BinaryPrimitives.ReadUInt32BigEndian(reply.Data);
            }
            else if (reply.Type == RepAck)
            {
                return;
            }
            else if ((reply.Type & RepErrorBit) != 0)
            {
                // A server without meta contexts still serves data; the device then lacks Extents.
                ThrowIfTlsRequired(device, OptSetMetaContext, reply);
                contexts.Clear();
                return;
            }
        }
    }

    private static async Task<Stream> StartTlsAsync(Stream stream, NbdUri uri, string pin, string device, CancellationToken cancellationToken)
    {
        var expected = pin.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        string? seen = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = uri.Host ?? "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                seen = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                return string.Equals(seen, expected, StringComparison.Ordinal);
            },
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var cause = seen is null
                ? "the TLS handshake failed"
                : $"the server's certificate has SHA-256 {seen}, not the pinned {expected}";
            throw new BlockDeviceException(device, cause, ex);
        }

        return ssl;
    }

    private static void ThrowIfTlsRequired(string device, uint option, OptionReply reply)
    {
        if (reply.Type == RepErrTlsRequired)
        {
            throw new BlockDeviceException(device, $"the server requires TLS ({OptionName(option)} answered ERR_TLS_REQD); give the pinned certificate fingerprint");
        }
    }

    private static BlockDeviceException Refused(string device, uint option, OptionReply reply)
    {
        var message = reply.Data.Length > 0 ? Encoding.UTF8.GetString(reply.Data) : null;
        var cause = $"the server refused {OptionName(option)}: {OptionErrorName(reply.Type)}";
        return new BlockDeviceException(device, message is null ? cause : $"{cause} ({message})");
    }

    private static async Task SendOptionAsync(Stream stream, uint option, byte[] data, CancellationToken cancellationToken)
    {
        var message = new byte[16 + data.Length];
        BinaryPrimitives.WriteUInt64BigEndian(message, OptionMagic);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), option);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(12), (uint)data.Length);
        data.CopyTo(message, 16);
        await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<OptionReply> ReadOptionReplyAsync(Stream stream, uint option, string device, CancellationToken cancellationToken)
    {
        var header = new byte[20];
        QuickAck(stream);
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var magic = BinaryPrimitives.ReadUInt64BigEndian(header);
        if (magic != OptionReplyMagic)
        {
            throw new BlockDeviceException(device, $"the answer to {OptionName(option)} has a bad magic 0x{magic:x16}");
        }

        var answered = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        var type = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        if (answered != option)
        {
            throw new BlockDeviceException(device, $"the server answered {OptionName(answered)} when {OptionName(option)} was asked");
        }

        if (length > MaxOptionReply)
        {
            throw new BlockDeviceException(device, $"the answer to {OptionName(option)} claims {length} bytes, more than the {MaxOptionReply} allowed");
        }

        var data = new byte[length];
        QuickAck(stream);
        await stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        return new OptionReply(type, data);
    }

    /// <summary>
    /// Acknowledges what arrived at once. qemu-nbd sends an option's replies in several small segments
    /// without TCP_NODELAY: with the client's delayed ACK each such reply stalls 40 ms.
    /// </summary>
    private static void QuickAck(Stream stream)
    {
        if (stream is NetworkStream network)
        {
            NbdProtocol.QuickAck(network.Socket);
        }
    }

    private readonly record struct OptionReply(uint Type, byte[] Data);
}
