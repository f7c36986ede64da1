using System.Security.Cryptography;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Tests.Lab;

/// <summary>The one shared setup of the lab tests: a fresh temp folder per test, removed afterwards, and a few helpers.</summary>
internal sealed class LabTestFolder : IDisposable
{
    public const int MiB = 1024 * 1024;

    /// <summary>A small default lab (4 MiB of data per disk) keeps each test well under a second.</summary>
    public static readonly LabOptions SmallLab = new() { DataBytesPerDisk = 4 * MiB };

    public LabTestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "pp-lab-tests", Guid.NewGuid().ToString("N"));
    }

    public string Root { get; }

    public ConnectionSettings Settings => new(EnvironmentKind.Lab, new Uri("lab://local"), null, null, null) { LabRoot = Root };

    public Task<LabEnvironment> OpenAsync() => LabEnvironment.OpenOrCreateAsync(Root, SmallLab);

    /// <summary>A connector over this folder, the lab created small first so the connector opens it.</summary>
    public async Task<LabConnector> ConnectAsync()
    {
        await OpenAsync();
        return new LabConnector(Settings);
    }

    public static byte[] RandomBlock(int seed, int length = LabEnvironment.BlockSize)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static async Task<byte[]> ReadAsync(IBlockDevice device, long offset, int length)
    {
        var buffer = new byte[length];
        await device.ReadAsync(offset, buffer, CancellationToken.None);
        return buffer;
    }

    /// <summary>SHA-256 of every byte of a device, holes included (read as zeroes, not from the file).</summary>
    public static Task<string> Sha256Async(IBlockDevice device) => ProviderPortal.TestPeers.Disks.DiskHashes.Sha256Async(device);

    public static Task<string> Sha256Async(string path) => ProviderPortal.TestPeers.Disks.DiskHashes.Sha256Async(path);

    /// <summary>
    /// A digest of the content that costs only the data extents: SHA-256 over (offset, bytes) of every 64 KiB block
    /// that is not all zero. Equal for equal content whatever is allocated; the acceptance tests use the full SHA-256.
    /// </summary>
    public static async Task<string> ContentDigestAsync(IBlockDevice device)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new byte[LabEnvironment.BlockSize];
        var offsetBytes = new byte[8];
        var blockStarts = new SortedSet<long>();
        foreach (var extent in await device.GetExtentsAsync(0, device.Size, CancellationToken.None))
        {
            if (extent.Kind != ExtentKind.Data)
            {
                continue;
            }

            for (var start = extent.Offset / block.Length * block.Length; start < extent.End; start += block.Length)
            {
                blockStarts.Add(start);
            }
        }

        foreach (var start in blockStarts)
        {
            var count = (int)Math.Min(block.Length, device.Size - start);
            await device.ReadAsync(start, block.AsMemory(0, count), CancellationToken.None);
            if (!block.AsSpan(0, count).ContainsAnyExcept((byte)0))
            {
                continue;
            }

            BitConverter.TryWriteBytes(offsetBytes, start);
            hash.AppendData(offsetBytes);
            hash.AppendData(block, 0, count);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public static async Task<string> ContentDigestAsync(string path)
    {
        await using var device = FileDevice.Open(path, new BlockDeviceOpenOptions());
        return await ContentDigestAsync(device);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
