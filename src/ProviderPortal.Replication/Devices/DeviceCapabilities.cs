namespace ProviderPortal.Replication.Devices;

/// <summary>What a block device can do; the copier chooses its strategy from these.</summary>
[Flags]
public enum DeviceCapabilities
{
    None = 0,

    /// <summary>Reports its allocation map (data, zero, hole), so holes need not be read.</summary>
    Extents = 1 << 0,

    /// <summary>Reports the extents a named dirty bitmap marks (changed-block tracking).</summary>
    DirtyBitmap = 1 << 1,

    /// <summary>Writes zeroes without sending them.</summary>
    WriteZeroes = 1 << 2,

    /// <summary>Can discard (deallocate) a range.</summary>
    Trim = 1 << 3,

    /// <summary>Flush makes earlier writes durable.</summary>
    Flush = 1 << 4,

    /// <summary>Several connections see the same data: requests may be spread over them.</summary>
    MultiConn = 1 << 5,

    /// <summary>Writes are refused.</summary>
    ReadOnly = 1 << 6,

    /// <summary>Every byte reads as zero until written (a new sparse file, a fresh memory disk).</summary>
    ZeroInitialized = 1 << 7,
}
