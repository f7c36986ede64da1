namespace ProviderPortal.Replication.Devices;

/// <summary>How a run of bytes is stored.</summary>
public enum ExtentKind
{
    /// <summary>Allocated data: must be read and copied.</summary>
    Data = 0,

    /// <summary>Allocated, but known to read as zeroes.</summary>
    Zero = 1,

    /// <summary>Not allocated: reads as zeroes.</summary>
    Hole = 2,
}

/// <summary>A run of bytes [Offset, Offset + Length) of one kind.</summary>
public readonly record struct Extent(long Offset, long Length, ExtentKind Kind)
{
    public long End => Offset + Length;

    /// <summary>True when the bytes read as zero (a hole or an allocated zero run).</summary>
    public bool ReadsAsZero => Kind != ExtentKind.Data;
}

/// <summary>A byte range, for changed-block lists and checkpoints.</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    public long End => Offset + Length;
}
