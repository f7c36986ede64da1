using System.Security.Cryptography;
using System.Text;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Tests.Seed;

/// <summary>A temp folder with sparse source disks (a recognisable pattern in data areas, holes between), device folders and targets.</summary>
internal sealed class SeedFolder : IDisposable
{
    public const int MiB = 1024 * 1024;

    public static readonly byte[] Pattern = Encoding.ASCII.GetBytes("CONFIDENTIAL-PAYROLL-DATA-0123456789/");

    public string Root { get; } = Directory.CreateTempSubdirectory("seed-tests-").FullName;

    /// <summary>A sparse file of <paramref name="size"/> bytes: the pattern (with a random counter) in each of <paramref name="areas"/>, holes elsewhere.</summary>
    public string Source(string name, long size, IEnumerable<(long Offset, int Length)> areas, int seed = 1)
    {
        var path = Path.Combine(Root, name);
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, size);
        var random = new Random(seed);
        foreach (var (offset, length) in areas)
        {
            var bytes = new byte[length];
            for (var i = 0; i < length; i += Pattern.Length)
            {
                Pattern.AsSpan(0, Math.Min(Pattern.Length, length - i)).CopyTo(bytes.AsSpan(i));
            }

            // A few random bytes per area, so no two chunks are alike.
            bytes[random.Next(length)] = (byte)random.Next(1, 256);
            RandomAccess.Write(handle, bytes, offset);
        }

        return path;
    }

    /// <summary>Random bytes over the whole file (no holes, no zero chunks).</summary>
    public string RandomFile(string name, long size, int seed)
    {
        var path = Path.Combine(Root, name);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Device(string name = "device")
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static FileDevice Open(string path, bool writable = false, long? createWithSize = null) =>
        FileDevice.Open(path, new BlockDeviceOpenOptions { Writable = writable, CreateWithSize = createWithSize });

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public static IEnumerable<string> ChunkFiles(string device) =>
        Directory.EnumerateFiles(Path.Combine(device, "chunks"), "*.chunk", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
