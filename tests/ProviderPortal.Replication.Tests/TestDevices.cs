using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Tests;

/// <summary>The one shared setup: memory disks with a known layout of data, holes and allocated zero runs.</summary>
internal static class TestDevices
{
    public const int MiB = 1024 * 1024;

    /// <summary>Random bytes over the whole device (no all-zero blocks), returned as a fresh handle with clean counters.</summary>
    public static MemoryDevice RandomData(string name, long size, int seed = 1)
    {
        var device = new MemoryDevice(name, size);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        device.WriteAsync(0, bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return device.Reopen();
    }

    /// <summary>
    /// An odd-sized disk (not a multiple of 4096): data, a hole, an allocated zero run, data with an
    /// all-zero 128 KiB stretch inside, a hole, and data up to the last byte.
    /// </summary>
    public static MemoryDevice Mixed(out long dataBytes, int seed = 7)
    {
        const long size = (6L * MiB) + 12_345;
        var device = new MemoryDevice("mixed", size);
        var random = new Random(seed);
        dataBytes = 0;
        dataBytes += Write(device, random, 0, MiB + 100);
        device.WriteZeroesAsync(2L * MiB, MiB, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        dataBytes += Write(device, random, 3L * MiB, MiB);
        device.WriteAsync((3L * MiB) + (256 * 1024), new byte[128 * 1024], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        dataBytes += Write(device, random, 5L * MiB, size - (5L * MiB));
        return device.Reopen();
    }

    /// <summary>Bytes the device reports as Data (what a copy must read).</summary>
    public static long AllocatedDataBytes(IBlockDevice device) =>
        device.GetExtentsAsync(0, device.Size, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            .Where(e => e.Kind == ExtentKind.Data).Sum(e => e.Length);

    /// <summary>A target that holds 0xFF everywhere, so nothing may be skipped.</summary>
    public static MemoryDevice Dirty(string name, long size)
    {
        var device = new MemoryDevice(name, size);
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)0xFF);
        device.WriteAsync(0, bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return device.Reopen();
    }

    private static long Write(MemoryDevice device, Random random, long offset, long length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        device.WriteAsync(offset, bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return length;
    }
}
