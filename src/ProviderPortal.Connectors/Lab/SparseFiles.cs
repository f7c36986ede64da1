using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Lab;

/// <summary>Sparse raw images: their data extents, and a copy that keeps holes as holes.</summary>
internal static class SparseFiles
{
    private const int CopyBufferSize = 1024 * 1024;

    /// <summary>The allocated ranges of a file, sorted and merged; without SEEK_DATA (not Linux) the whole file.</summary>
    public static List<ByteRange> DataRanges(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return DataRanges(handle);
    }

    public static long AllocatedBytes(string path) => DataRanges(path).Sum(r => r.Length);

    /// <summary>
    /// Freezes <paramref name="source"/> into a new file <paramref name="target"/>: a reflink clone where the file
    /// system shares extents (instant, no space), else a copy of the data extents only, so holes stay holes.
    /// </summary>
    public static void Freeze(string source, string target)
    {
        using var from = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        // Create, not CreateNew: a snapshot whose state save failed leaves its file behind under the number that is reused.
        using var to = File.OpenHandle(target, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        if (TryClone(from, to))
        {
            return;
        }

        var size = RandomAccess.GetLength(from);
        RandomAccess.SetLength(to, size);
        var buffer = new byte[CopyBufferSize];
        foreach (var range in DataRanges(from))
        {
            for (var offset = range.Offset; offset < range.End; offset += CopyBufferSize)
            {
                var count = (int)Math.Min(CopyBufferSize, range.End - offset);
                var read = RandomAccess.Read(from, buffer.AsSpan(0, count), offset);
                RandomAccess.Write(to, buffer.AsSpan(0, read), offset);
            }
        }
    }

    private static bool TryClone(SafeFileHandle from, SafeFileHandle to)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var addedFrom = false;
        var addedTo = false;
        from.DangerousAddRef(ref addedFrom);
        to.DangerousAddRef(ref addedTo);
        try
        {
            // ext4 and tmpfs answer EOPNOTSUPP/EXDEV/EINVAL: any failure means "copy instead".
            return LabNativeMethods.Ioctl((int)to.DangerousGetHandle(), LabNativeMethods.Ficlone, (int)from.DangerousGetHandle()) == 0;
        }
        finally
        {
            if (addedTo)
            {
                to.DangerousRelease();
            }

            if (addedFrom)
            {
                from.DangerousRelease();
            }
        }
    }

    private static List<ByteRange> DataRanges(SafeFileHandle handle)
    {
        var size = RandomAccess.GetLength(handle);
        if (!OperatingSystem.IsLinux())
        {
            return size > 0 ? [new ByteRange(0, size)] : [];
        }

        var ranges = new List<ByteRange>();
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            var position = 0L;
            while (position < size)
            {
                var data = Seek(fd, position, LabNativeMethods.SeekData);
                if (data < 0 || data >= size)
                {
                    break;
                }

                var hole = Seek(fd, data, LabNativeMethods.SeekHole);
                var end = hole < 0 ? size : Math.Min(hole, size);
                if (ranges.Count > 0 && ranges[^1].End == data)
                {
                    ranges[^1] = ranges[^1] with { Length = end - ranges[^1].Offset };
                }
                else
                {
                    ranges.Add(new ByteRange(data, end - data));
                }

                position = end;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return ranges;
    }

    /// <summary>-1 when nothing of that kind follows (ENXIO).</summary>
    private static long Seek(int fd, long position, int whence)
    {
        var result = LabNativeMethods.LSeek(fd, position, whence);
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LabNativeMethods.Enxio)
            {
                return -1;
            }

            throw new IOException($"lseek failed with errno {errno}");
        }

        return result;
    }
}
