using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using ProviderPortal.Replication.Tests.Nbd;

namespace ProviderPortal.Replication.Tests.Acceptance;

/// <summary>Issue 3, item 2: changed-block sync from a real qcow2 persistent dirty bitmap, after a full base copy.</summary>
public sealed class DirtyBitmapAcceptanceTests : IDisposable
{
    private const int MiB = AcceptanceDisks.MiB;

    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CopyAsync_FromDirtyBitmapAfterBaseCopy_TargetEqualsSourceAndCopiesOnlyDirtyBytes()
    {
        var image = await AcceptanceDisks.CreateAsync(_folder, "qcow2");
        var target = Path.Combine(_folder, "target.raw");
        await using (var baseline = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "qcow2", image))
        {
            await CopyAsync(baseline, target, CopyPlan.Full, []);
        }

        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "bitmap", "--add", "--enable", image, "cbt");
        await using (var writable = await NbdPeer.StartQemuNbdAsync(_folder, "-f", "qcow2", "--cache=none", image))
        {
            // New data over data, over a hole and over a zeroed run, and zeroes written over data.
            await NbdPeer.RunAsync("qemu-io", "qemu-utils", "-f", "raw", "-c", "write -P 0xb1 1M 1M", "-c", "write -P 0xb2 14M 192k",
                "-c", "write -P 0xb3 9M 64k", "-c", "write -z 20M 512k", "-c", "write -P 0xb4 63M 1M", writable.Uri.ToString());
            await writable.TerminateAsync();
        }

        await using var changed = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "qcow2", "-B", "cbt", image);
        long dirtyBytes;
        await using (var probe = await BlockDevices.OpenAsync(changed.Uri.ToString(), new BlockDeviceOpenOptions { DirtyBitmaps = ["cbt"] }, default))
        {
            dirtyBytes = (await probe.GetDirtyRangesAsync("cbt", 0, probe.Size, default)).Sum(r => r.Length);
        }

        const long zeroed = 512 * 1024;
        Assert.Equal((2L * MiB) + (192 * 1024) + (64 * 1024) + zeroed, dirtyBytes);

        var result = await CopyAsync(changed, target, CopyPlan.FromDirtyBitmap("cbt"), ["cbt"]);

        var reference = await AcceptanceDisks.ConvertToRawAsync(image, "qcow2");
        Assert.Equal(AcceptanceDisks.HashFile(reference, 64L * MiB), AcceptanceDisks.HashFile(target, 64L * MiB));
        Assert.Equal(dirtyBytes - zeroed, result.BytesRead);
        Assert.Equal(dirtyBytes, result.BytesRead + result.BytesWrittenAsZeroes + result.BytesSkipped);
    }

    private static async Task<CopyResult> CopyAsync(NbdPeer server, string target, CopyPlan plan, string[] bitmaps)
    {
        await using var source = await BlockDevices.OpenAsync(server.Uri.ToString(), new BlockDeviceOpenOptions { DirtyBitmaps = bitmaps }, default);
        await using var to = await BlockDevices.OpenAsync(target, new BlockDeviceOpenOptions { Writable = true, CreateWithSize = source.Size }, default);
        return await BlockCopier.CopyAsync(source, to, new CopyRequest { Plan = plan }, default);
    }
}
