using System.Runtime.InteropServices;

namespace ProviderPortal.Replication.Devices;

/// <summary>The Linux calls that .NET does not wrap: finding data and holes, and punching holes.</summary>
internal static class NativeMethods
{
    public const int SeekData = 3;
    public const int SeekHole = 4;
    public const int FallocKeepSize = 0x01;
    public const int FallocPunchHole = 0x02;
    public const int Enxio = 6;

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static extern long LSeek(int fd, long offset, int whence);

    [DllImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    public static extern int FAllocate(int fd, int mode, long offset, long length);
}
