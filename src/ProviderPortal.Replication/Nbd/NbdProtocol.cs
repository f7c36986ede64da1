namespace ProviderPortal.Replication.Nbd;

/// <summary>Numbers from the NBD protocol (proto.md); all fields on the wire are big-endian.</summary>
internal static class NbdProtocol
{
    public const ulong NbdMagic = 0x4e42444d41474943; // "NBDMAGIC"
    public const ulong OptionMagic = 0x49484156454F5054; // "IHAVEOPT"
    public const ulong OldStyleMagic = 0x00420281861253;
    public const ulong OptionReplyMagic = 0x3e889045565a9;
    public const uint RequestMagic = 0x25609513;
    public const uint SimpleReplyMagic = 0x67446698;
    public const uint StructuredReplyMagic = 0x668e33ef;

    public const ushort HandshakeFixedNewstyle = 1;
    public const ushort HandshakeNoZeroes = 2;

    public const uint OptExportName = 1;
    public const uint OptAbort = 2;
    public const uint OptStartTls = 5;
    public const uint OptGo = 7;
    public const uint OptStructuredReply = 8;
    public const uint OptSetMetaContext = 10;

    public const uint RepAck = 1;
    public const uint RepInfo = 3;
    public const uint RepMetaContext = 4;
    public const uint RepErrorBit = 0x8000_0000;
    public const uint RepErrUnsup = RepErrorBit | 1;
    public const uint RepErrTlsRequired = RepErrorBit | 5;

    public const ushort InfoExport = 0;
    public const ushort InfoBlockSize = 3;

    public const ushort FlagHasFlags = 1 << 0;
    public const ushort FlagReadOnly = 1 << 1;
    public const ushort FlagSendFlush = 1 << 2;
    public const ushort FlagSendTrim = 1 << 5;
    public const ushort FlagSendWriteZeroes = 1 << 6;
    public const ushort FlagCanMultiConn = 1 << 8;

    public const ushort CmdRead = 0;
    public const ushort CmdWrite = 1;
    public const ushort CmdDisconnect = 2;
    public const ushort CmdFlush = 3;
    public const ushort CmdTrim = 4;
    public const ushort CmdWriteZeroes = 6;
    public const ushort CmdBlockStatus = 7;

    public const ushort ReplyFlagDone = 1;
    public const ushort ChunkNone = 0;
    public const ushort ChunkOffsetData = 1;
    public const ushort ChunkOffsetHole = 2;
    public const ushort ChunkBlockStatus = 5;
    public const ushort ChunkError = 32769;
    public const ushort ChunkErrorOffset = 32770;

    public const uint ErrShutdown = 108;

    /// <summary>The default maximum payload when the server states none.</summary>
    public const int DefaultMaxPayload = 32 * 1024 * 1024;

    public static string ErrorName(uint error) => error switch
    {
        1 => "EPERM",
        5 => "EIO",
        12 => "ENOMEM",
        22 => "EINVAL",
        28 => "ENOSPC",
        75 => "EOVERFLOW",
        95 => "ENOTSUP",
        108 => "ESHUTDOWN",
        _ => "error",
    };

    public static string DescribeServerError(uint error, string? message)
    {
        var text = $"the server answered {ErrorName(error)} ({error})";
        return string.IsNullOrWhiteSpace(message) ? text : $"{text}: {message}";
    }

    public static string OptionName(uint option) => option switch
    {
        OptExportName => "NBD_OPT_EXPORT_NAME",
        OptStartTls => "NBD_OPT_STARTTLS",
        OptGo => "NBD_OPT_GO",
        OptStructuredReply => "NBD_OPT_STRUCTURED_REPLY",
        OptSetMetaContext => "NBD_OPT_SET_META_CONTEXT",
        _ => $"option {option}",
    };

    public static string OptionErrorName(uint type) => (type & ~RepErrorBit) switch
    {
        1 => "ERR_UNSUP",
        2 => "ERR_POLICY",
        3 => "ERR_INVALID",
        4 => "ERR_PLATFORM",
        5 => "ERR_TLS_REQD",
        6 => "ERR_UNKNOWN (no such export)",
        7 => "ERR_SHUTDOWN",
        8 => "ERR_BLOCK_SIZE_REQD",
        9 => "ERR_TOO_BIG",
        _ => $"error reply {type:x}",
    };

    /// <summary>Linux TCP_QUICKACK: sends a pending delayed ACK now (the setting is not sticky, so callers repeat it).</summary>
    public static void QuickAck(System.Net.Sockets.Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.ProtocolType != System.Net.Sockets.ProtocolType.Tcp)
        {
            return;
        }

        try
        {
            Span<byte> on = [1, 0, 0, 0];
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 12 /* TCP_QUICKACK */, on);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Only a latency hint.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
