using System.Security.Cryptography;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Tests.Nbd;

namespace ProviderPortal.Replication.Tests.Acceptance;

/// <summary>Disk images with data, allocated zeroes, explicit zero writes and holes, built with qemu-io; and hashing.</summary>
internal static class AcceptanceDisks
{
    public const int MiB = 1024 * 1024;

    /// <summary>The qemu-io writes of the 64 MiB layout: patterns, a data run of zero bytes, `write -z` over data and over a hole; holes elsewhere.</summary>
    public static readonly string[] Layout =
    [
        "-c", "write -P 0x11 0 3M",
        "-c", "write -P 0x00 6M 1M",
        "-c", "write -z 8M 4M",
        "-c", "write -P 0x22 20M 1M",
        "-c", "write -P 0x44 30M 2M",
        "-c", "write -z 30M 1M",
        "-c", "write -P 0x33 63M 512k",
    ];

    public static async Task<string> CreateAsync(string folder, string format)
    {
        var image = Path.Combine(folder, "source." + format);
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "create", "-q", "-f", format, image, "64M");
        await NbdPeer.RunAsync("qemu-io", "qemu-utils", ["-f", format, .. Layout, image]);
        return image;
    }

    /// <summary>A raw file of 10 MiB + 12345 bytes: random data (up to the last byte), a zero-filled run and holes.</summary>
    public static string CreateOddRaw(string folder)
    {
        var image = Path.Combine(folder, "odd.raw");
        var random = new Random(33);
        using var file = File.Create(image);
        file.SetLength((10L * MiB) + 12_345);
        foreach (var (offset, length) in new[] { (0L, MiB + 777), (4L * MiB, 2 * MiB), ((10L * MiB) - 5000, 5000 + 12_345) })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            file.Position = offset;
            file.Write(bytes);
        }

        file.Position = 7L * MiB;
        file.Write(new byte[MiB]);
        return image;
    }

    /// <summary>SHA-256 of a file's bytes, padded with zeroes to <paramref name="size"/> (qemu exports raw files rounded up to 512 bytes).</summary>
    public static string HashFile(string path, long size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.OpenRead(path))
        {
            Assert.True(file.Length <= size, $"{path} is {file.Length} bytes, more than {size}");
            var buffer = new byte[4 * MiB];
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }

            sha.AppendData(new byte[size - file.Length]);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    public static async Task<string> HashDeviceAsync(IBlockDevice device)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[4 * MiB];
        for (long at = 0; at < device.Size; at += buffer.Length)
        {
            var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, device.Size - at));
            await device.ReadAsync(at, chunk, default);
            sha.AppendData(chunk.Span);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>A raw reference of any image qemu reads, made by qemu-img itself.</summary>
    public static async Task<string> ConvertToRawAsync(string image, string format)
    {
        var raw = image + ".reference.raw";
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "convert", "-U", "-f", format, "-O", "raw", image, raw);
        return raw;
    }
}
