using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Tests.Nbd;

namespace ProviderPortal.Replication.Tests.Acceptance;

/// <summary>Issue 3, item 1: full copies from qemu-nbd and nbdkit to a file and to writable NBD targets are byte-identical, and skip holes.</summary>
public sealed class FullCopyAcceptanceTests : IDisposable
{
    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var source in new[] { "qemu-nbd qcow2", "qemu-nbd raw", "nbdkit raw", "qemu-nbd odd raw", "nbdkit odd raw" })
        {
            foreach (var target in new[] { "file", "nbdkit memory", "nbdkit file" })
            {
                cases.Add(source, target);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CopyAsync_FullCopyFromRealServer_TargetHashEqualsSourceAndHolesSkipped(string sourceKind, string targetKind)
    {
        var (image, format) = sourceKind switch
        {
            "qemu-nbd qcow2" => (await AcceptanceDisks.CreateAsync(_folder, "qcow2"), "qcow2"),
            "qemu-nbd raw" or "nbdkit raw" => (await AcceptanceDisks.CreateAsync(_folder, "raw"), "raw"),
            _ => (AcceptanceDisks.CreateOddRaw(_folder), "raw"),
        };
        var reference = format == "raw" ? image : await AcceptanceDisks.ConvertToRawAsync(image, format);
        await using var server = sourceKind.StartsWith("nbdkit", StringComparison.Ordinal)
            ? await NbdPeer.StartNbdkitAsync(_folder, "-r", "file", image)
            : await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", format, image);
        await using var source = await BlockDevices.OpenAsync(server.Uri.ToString(), new BlockDeviceOpenOptions(), default);
        var size = source.Size;
        Assert.InRange(size, new FileInfo(reference).Length, new FileInfo(reference).Length + 511);
        var expected = AcceptanceDisks.HashFile(reference, size);

        var targetFile = Path.Combine(_folder, "target.raw");
        NbdPeer? targetServer = null;
        if (targetKind == "nbdkit file")
        {
            await using (var file = File.Create(targetFile))
            {
                file.SetLength(size);
            }

            targetServer = await NbdPeer.StartNbdkitTcpAsync(_folder, "file", targetFile);
        }
        else if (targetKind == "nbdkit memory")
        {
            targetServer = await NbdPeer.StartNbdkitTcpAsync(_folder, "memory", $"size={size}");
        }

        await using var _ = targetServer;
        var targetLocation = targetServer?.Uri.ToString() ?? targetFile;
        CopyResult result;
        string actual;
        await using (var target = await BlockDevices.OpenAsync(targetLocation, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = size }, default))
        {
            Assert.Equal(size, target.Size);
            result = await BlockCopier.CopyAsync(source, target, new CopyRequest(), default);
            actual = targetKind == "nbdkit memory" ? await AcceptanceDisks.HashDeviceAsync(target) : "";
        }

        if (targetKind != "nbdkit memory")
        {
            actual = AcceptanceDisks.HashFile(targetFile, size);
        }

        Assert.Equal(expected, actual);
        // Less than half of each disk is written; whether a raw file's `write -z` range reads back as data or a
        // hole depends on the file system's page cache, so the bound is not the exact allocation.
        Assert.True(result.BytesRead < size / 2, $"read {result.BytesRead} of {size}: the holes were read");
        Assert.True(result.BytesRead >= 3L * AcceptanceDisks.MiB, $"read only {result.BytesRead}");
    }
}
