using System.Runtime.InteropServices;

namespace ProviderPortal.Connectors.Lab;

/// <summary>The Linux calls the lab needs beyond .NET: finding data extents and reflink-cloning a file.</summary>
internal static class LabNativeMethods
{
    public const int SeekData = 3;
    public const int SeekHole = 4;
    public const int Enxio = 6;

    /// <summary>_IOW(0x94, 9, int): share the source's extents copy-on-write (btrfs, xfs).</summary>
    public const ulong Ficlone = 0x40049409;

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static extern long LSeek(int fd, long offset, int whence);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static extern int Ioctl(int fd, ulong request, int sourceFd);
}
