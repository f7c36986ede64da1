using System.Collections.Concurrent;

namespace ProviderPortal.Replication.Copy;

/// <summary>
/// A copy's own data buffers, pinned so devices can hand them to native I/O. The copier's byte cap
/// bounds how many are out at once, so the pool never grows past that many.
/// </summary>
internal sealed class BufferPool(int bufferSize)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public int BufferSize { get; } = bufferSize;

    public byte[] Rent() => _free.TryTake(out var buffer) ? buffer : GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);

    public void Return(byte[] buffer) => _free.Add(buffer);
}
