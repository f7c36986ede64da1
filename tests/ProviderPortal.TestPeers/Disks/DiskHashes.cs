using System.Security.Cryptography;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.TestPeers.Disks;

/// <summary>What tests compare disks by: the SHA-256 of every byte, holes included (hashed as zeroes, not read).</summary>
public static class DiskHashes
{
    private const int ChunkSize = 4 * 1024 * 1024;

    public static async Task<string> Sha256Async(IBlockDevice device)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        var zeroes = new byte[ChunkSize];
        foreach (var extent in await device.GetExtentsAsync(0, device.Size, CancellationToken.None))
        {
            for (var offset = extent.Offset; offset < extent.End; offset += buffer.Length)
            {
                var count = (int)Math.Min(buffer.Length, extent.End - offset);
                if (extent.ReadsAsZero)
                {
                    hash.AppendData(zeroes, 0, count);
                }
                else
                {
                    await device.ReadAsync(offset, buffer.AsMemory(0, count), CancellationToken.None);
                    hash.AppendData(buffer, 0, count);
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The same for a file (a disk image), opened read-only.</summary>
    public static async Task<string> Sha256Async(string path)
    {
        await using var device = FileDevice.Open(path, new BlockDeviceOpenOptions());
        return await Sha256Async(device);
    }
}
