using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Copy;

/// <summary>What to copy: the whole device, a list of changed ranges, or what a source dirty bitmap marks.</summary>
public sealed class CopyPlan
{
    private CopyPlan(IReadOnlyList<ByteRange>? changes, string? bitmap)
    {
        Changes = changes;
        DirtyBitmap = bitmap;
    }

    /// <summary>Every byte of the source.</summary>
    public static CopyPlan Full { get; } = new(null, null);

    /// <summary>Null unless the plan is a list of changed ranges.</summary>
    public IReadOnlyList<ByteRange>? Changes { get; }

    /// <summary>Null unless the plan reads its ranges from this source dirty bitmap.</summary>
    public string? DirtyBitmap { get; }

    public bool IsFull => Changes is null && DirtyBitmap is null;

    public static CopyPlan Changed(IEnumerable<ByteRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return new CopyPlan([.. ranges], null);
    }

    public static CopyPlan FromDirtyBitmap(string bitmap)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bitmap);
        return new CopyPlan(null, bitmap);
    }

    public override string ToString() =>
        IsFull ? "full copy" : DirtyBitmap is not null ? $"dirty bitmap {DirtyBitmap}" : $"{Changes!.Count} changed ranges";
}
