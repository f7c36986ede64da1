using System.Globalization;
using System.Security.Cryptography;
using ProviderPortal.Replication.Tests.Nbd;

namespace ProviderPortal.Worker.Tests.Cli;

/// <summary><c>copy --changed-from-bitmap</c> against qemu-nbd exporting a qcow2 with a real persistent dirty bitmap.</summary>
public sealed class CopyBitmapTests : IDisposable
{
    private readonly string _folder = NbdPeer.NewFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Copy_ChangedFromBitmap_CopiesExactlyTheDirtyBytesAndTargetEqualsSource()
    {
        var image = Path.Combine(_folder, "disk.qcow2");
        var target = Path.Combine(_folder, "target.raw");
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "create", "-q", "-f", "qcow2", image, "64M");
        await NbdPeer.RunAsync("qemu-io", "qemu-utils", "-f", "qcow2", "-c", "write -P 0xa1 0 8M", "-c", "write -P 0xa2 20M 4M",
            "-c", "write -z 30M 2M", "-c", "write -P 0xa3 60M 4M", image);

        await using (var baseline = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "qcow2", image))
        {
            var full = await WorkerProcess.RunAsync(TimeSpan.FromSeconds(60), "copy", baseline.Uri.ToString(), target);
            Assert.True(full.ExitCode == 0, full.ToString());
        }

        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "bitmap", "--add", "--enable", image, "cbt");
        await using (var writable = await NbdPeer.StartQemuNbdAsync(_folder, "-f", "qcow2", "--cache=none", image))
        {
            await NbdPeer.RunAsync("qemu-io", "qemu-utils", "-f", "raw", "-c", "write -P 0xb1 1M 1M", "-c", "write -P 0xb2 21M 192k",
                "-c", "write -P 0xb3 40M 64k", "-c", "write -P 0xb4 63M 1M", writable.Uri.ToString());
            await writable.TerminateAsync();
        }

        await using var changed = await NbdPeer.StartQemuNbdAsync(_folder, "-r", "-f", "qcow2", "-B", "cbt", image);
        var dirtyBytes = await DirtyBytesAsync(changed, "cbt");
        Assert.Equal((1L << 20) + (192 << 10) + (64 << 10) + (1L << 20), dirtyBytes);

        var run = await WorkerProcess.RunAsync(TimeSpan.FromSeconds(60), "copy", changed.Uri.ToString(), target, "--changed-from-bitmap", "cbt", "--verify");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(dirtyBytes, run.BytesRead);
        var reference = Path.Combine(_folder, "reference.raw");
        await NbdPeer.RunAsync("qemu-img", "qemu-utils", "convert", "-U", "-f", "qcow2", "-O", "raw", image, reference);
        Assert.Equal(Hash(reference), Hash(target));
    }

    /// <summary>The bytes nbdinfo reports dirty in qemu:dirty-bitmap:NAME: an independent reading of the bitmap.</summary>
    private static async Task<long> DirtyBytesAsync(NbdPeer peer, string bitmap)
    {
        var map = await NbdPeer.RunAsync("nbdinfo", "libnbd-bin", $"--map=qemu:dirty-bitmap:{bitmap}", peer.Uri.ToString());
        long dirty = 0;
        foreach (var line in map.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if ((int.Parse(fields[2], CultureInfo.InvariantCulture) & 1) != 0)
            {
                dirty += long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        return dirty;
    }

    private static string Hash(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}
