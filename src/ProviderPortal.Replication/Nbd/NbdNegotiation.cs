namespace ProviderPortal.Replication.Nbd;

/// <summary>What one connection's handshake settled: the export, its flags and sizes, the meta contexts.</summary>
internal sealed record NbdNegotiation(
    Stream Stream,
    long Size,
    ushort TransmissionFlags,
    int MinimumBlockSize,
    int PreferredBlockSize,
    int MaximumPayload,
    bool StructuredReplies,
    IReadOnlyDictionary<string, uint> MetaContexts,
    bool UsedExportName);
