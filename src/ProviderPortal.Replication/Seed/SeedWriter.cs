using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Seed;

/// <summary>
/// Writes a disk's allocated data (a snapshot) onto seed devices as encrypted chunks with an authenticated manifest
/// (<see cref="SeedFormat"/>). Resumable: the manifest is the checkpoint, a new write of the same disk onto the same
/// devices skips every chunk it records. A disk larger than a device's capacity continues on the next device.
/// </summary>
public static class SeedWriter
{
    private const int MinimumChunkSize = 64 * 1024;

    /// <summary>
    /// Writes <paramref name="source"/> as disk <paramref name="diskId"/> onto <paramref name="devices"/> (in order, the
    /// next one only when the previous is full). The devices' folders must exist. Other disks already on them stay.
    /// </summary>
    public static async Task<SeedWriteResult> WriteAsync(
        IBlockDevice source, string diskId, IReadOnlyList<SeedDevice> devices, SeedKey key, SeedWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(diskId);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(key);
        options ??= new SeedWriteOptions();
        if (options.ChunkSize < MinimumChunkSize || options.Workers < 1 || options.CheckpointEveryChunks < 1)
        {
            throw new ArgumentException($"The chunk size must be at least {MinimumChunkSize} bytes, workers and chunks per checkpoint at least 1.", nameof(options));
        }

        if (devices.Count == 0)
        {
            throw new ArgumentException("At least one seed device folder is needed.", nameof(devices));
        }

        foreach (var device in devices)
        {
            if (!Directory.Exists(device.Folder))
            {
                throw new DirectoryNotFoundException($"The seed device folder {device.Folder} does not exist (is the device mounted?).");
            }
        }

        var clock = Stopwatch.StartNew();
        var plan = await SeedPlan.BuildAsync(source, options.ChunkSize, cancellationToken);
        var locks = new List<FileStream>();
        try
        {
            foreach (var device in devices)
            {
                locks.Add(Lock(device.Folder));
            }

            var manifests = devices.Select(d => SeedFormat.ReadManifest(d.Folder, key) ?? new SeedManifest { DeviceId = SeedFormat.NewId() }).ToList();
            var sourceId = options.SourceId ?? "";
            var parts = FindParts(diskId, plan, sourceId, devices, manifests) ?? PlaceParts(diskId, plan, sourceId, devices, manifests);
            var run = new WriteRun(source, diskId, plan, devices, manifests, parts, key, options, cancellationToken);
            return await run.RunAsync(clock);
        }
        finally
        {
            foreach (var held in locks)
            {
                await held.DisposeAsync();
            }
        }
    }

    private static string Named(string sourceId) => sourceId.Length == 0 ? "a source not named" : $"\"{sourceId}\"";

    private static FileStream Lock(string folder)
    {
        try
        {
            return new FileStream(Path.Combine(folder, SeedFormat.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new IOException($"The seed device {folder} is in use by another seed write ({ex.Message}).", ex);
        }
    }

    /// <summary>The parts of a disk an earlier write placed, by device index; null when none of the devices holds the disk.</summary>
    private static Dictionary<int, SeedDiskPart>? FindParts(string diskId, SeedPlan plan, string sourceId, IReadOnlyList<SeedDevice> devices, List<SeedManifest> manifests)
    {
        var found = new Dictionary<int, SeedDiskPart>();
        for (var i = 0; i < manifests.Count; i++)
        {
            if (manifests[i].Disks.Find(p => p.DiskId == diskId) is { } part)
            {
                if (part.SourceId != sourceId)
                {
                    throw new InvalidOperationException(
                        $"The seed device {devices[i].Folder} already holds disk {diskId} read from {Named(part.SourceId)}, not from {Named(sourceId)}: " +
                        "a device never mixes two snapshots of one disk. Write it onto an empty device folder (or under another disk id).");
                }

                if (part.PlanId != plan.Id)
                {
                    throw new InvalidOperationException(
                        $"The seed device {devices[i].Folder} already holds disk {diskId} written from another source (its size or allocated areas differ, or another chunk size): " +
                        "write it under another disk id, or onto an empty device folder.");
                }

                found[i] = part;
            }
        }

        if (found.Count == 0)
        {
            return null;
        }

        var first = found.Values.First();
        if (found.Values.Any(p => p.SeedId != first.SeedId) || found.Count != first.PartCount)
        {
            throw new InvalidOperationException(
                $"Disk {diskId} was written in {first.PartCount} part(s) and {found.Count} of them are on the devices given: give the same device folders as the first time, in the same order.");
        }

        return found;
    }

    /// <summary>Places a new disk's chunks on the devices in order, each up to its capacity, and records the (empty) parts.</summary>
    private static Dictionary<int, SeedDiskPart> PlaceParts(string diskId, SeedPlan plan, string sourceId, IReadOnlyList<SeedDevice> devices, List<SeedManifest> manifests)
    {
        var seedId = SeedFormat.NewId();
        var ranges = new List<(int Device, int First, int End)>();
        var device = 0;
        var used = 0L;
        var first = 0;
        for (var index = 0; index < plan.Chunks.Count; index++)
        {
            var bytes = (long)plan.Chunks[index].Length + SeedFormat.Overhead;
            while (used + bytes > (devices[device].CapacityBytes ?? long.MaxValue))
            {
                if (index > first)
                {
                    ranges.Add((device, first, index));
                    first = index;
                }

                used = 0;
                if (++device == devices.Count)
                {
                    var capacity = devices.Sum(d => d.CapacityBytes ?? 0);
                    throw new InvalidOperationException(
                        $"Disk {diskId} needs {plan.DataBytes + ((long)plan.Chunks.Count * SeedFormat.Overhead)} bytes of chunks and the {devices.Count} device(s) given hold {capacity}: give another device folder.");
                }
            }

            used += bytes;
        }

        ranges.Add((device, first, plan.Chunks.Count));
        var parts = new Dictionary<int, SeedDiskPart>();
        for (var p = 0; p < ranges.Count; p++)
        {
            var part = new SeedDiskPart
            {
                DiskId = diskId,
                SeedId = seedId,
                DiskSize = plan.DiskSize,
                ChunkSize = plan.ChunkSize,
                PlanId = plan.Id,
                SourceId = sourceId,
                ChunkCount = plan.Chunks.Count,
                DataBytes = plan.DataBytes,
                Part = p + 1,
                PartCount = ranges.Count,
                FirstChunk = ranges[p].First,
                EndChunk = ranges[p].End,
            };
            manifests[ranges[p].Device].Disks.Add(part);
            parts[ranges[p].Device] = part;
        }

        return parts;
    }

    /// <summary>One write: workers take the chunks not yet recorded; recorded chunks are saved in the manifests at each checkpoint.</summary>
    private sealed class WriteRun
    {
        private readonly IBlockDevice _source;
        private readonly string _diskId;
        private readonly SeedPlan _plan;
        private readonly IReadOnlyList<SeedDevice> _devices;
        private readonly List<SeedManifest> _manifests;
        private readonly Dictionary<int, SeedDiskPart> _parts;
        private readonly SeedKey _key;
        private readonly SeedWriteOptions _options;
        private readonly ProgressTracker _progress;
        private readonly Lock _lock = new();
        private readonly CancellationToken _cancellationToken;
        private readonly Stopwatch _sinceCheckpoint = Stopwatch.StartNew();
        private readonly SemaphoreSlim _checkpointGate = new(1, 1);
        private readonly ConcurrentQueue<(SeedDiskPart Part, SeedChunk Chunk, string? Path)> _pending = new();
        private Exception? _backgroundFailure;
        private int _recorded;
        private long _bytesRecorded;
        private int _written;
        private int _zero;
        private long _bytesRead;
        private long _bytesWritten;

        public WriteRun(
            IBlockDevice source, string diskId, SeedPlan plan, IReadOnlyList<SeedDevice> devices, List<SeedManifest> manifests,
            Dictionary<int, SeedDiskPart> parts, SeedKey key, SeedWriteOptions options, CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            _source = source;
            _diskId = diskId;
            _plan = plan;
            _devices = devices;
            _manifests = manifests;
            _parts = parts;
            _key = key;
            _options = options;
            _progress = new ProgressTracker(options.Progress, plan.DataBytes, options.ProgressInterval);
        }

        public async Task<SeedWriteResult> RunAsync(Stopwatch clock)
        {
            var todo = new List<(int Device, SeedDiskPart Part, int Index)>();
            foreach (var (device, part) in _parts)
            {
                // A chunk whose file went missing since it was recorded is written again.
                part.Chunks.RemoveAll(c => !c.Zero && !File.Exists(SeedFormat.ChunkPath(_devices[device].Folder, part.SeedId, c.Index)));
                var done = part.Chunks.Select(c => c.Index).ToHashSet();
                _recorded += done.Count;
                _bytesRecorded += part.Chunks.Sum(c => (long)c.Length);
                for (var index = part.FirstChunk; index < part.EndChunk; index++)
                {
                    if (!done.Contains(index))
                    {
                        todo.Add((device, part, index));
                    }
                }

                Directory.CreateDirectory(Path.GetDirectoryName(SeedFormat.ChunkPath(_devices[device].Folder, part.SeedId, 0))!);
            }

            var skipped = _recorded;
            _progress.Reset(_bytesRecorded);
            todo.Sort((a, b) => a.Index.CompareTo(b.Index));
            SaveAll();
            return await RunChunksAsync(todo, skipped, clock);
        }

        private async Task<SeedWriteResult> RunChunksAsync(List<(int Device, SeedDiskPart Part, int Index)> todo, int skipped, Stopwatch clock)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Workers, CancellationToken = _cancellationToken };
            try
            {
                await Parallel.ForEachAsync(todo, parallel, async (item, token) => await WriteChunkAsync(item.Device, item.Part, item.Index, token));
            }
            catch
            {
                // Stopped or failed: the chunks written so far are made durable and recorded, so the next write need not repeat them.
                try
                {
                    await CheckpointAsync(CancellationToken.None, report: false);
                }
                catch (IOException)
                {
                    // The device failed too: the last checkpoint stands, and the first error is the one to report.
                }

                throw;
            }

            await CheckpointAsync(_cancellationToken, report: false);
            foreach (var part in _parts.Values)
            {
                part.Complete = part.Chunks.Count == part.EndChunk - part.FirstChunk;
            }

            await CheckpointAsync(_cancellationToken, report: true);
            _progress.Complete();
            return new SeedWriteResult
            {
                DiskId = _diskId,
                DiskSize = _plan.DiskSize,
                DataBytes = _plan.DataBytes,
                ChunkCount = _plan.Chunks.Count,
                ChunksWritten = _written,
                ZeroChunks = _zero,
                ChunksSkipped = skipped,
                BytesRead = _bytesRead,
                BytesWritten = _bytesWritten,
                Parts = _parts.Count,
                Elapsed = clock.Elapsed,
            };
        }

        private async Task WriteChunkAsync(int device, SeedDiskPart part, int index, CancellationToken token)
        {
            var (offset, length) = _plan.Chunks[index];
            var plain = ArrayPool<byte>.Shared.Rent(length);
            var file = ArrayPool<byte>.Shared.Rent(length + SeedFormat.Overhead);
            try
            {
                var step = Math.Max(4096, _source.MaximumRequestSize);
                for (var done = 0; done < length; done += step)
                {
                    await _source.ReadAsync(offset + done, plain.AsMemory(done, Math.Min(step, length - done)), token);
                }

                Interlocked.Add(ref _bytesRead, length);
                var chunk = new SeedChunk { Index = index, Offset = offset, Length = length };
                string? path = null;
                if (!plain.AsSpan(0, length).ContainsAnyExcept((byte)0))
                {
                    chunk.Zero = true;
                    Interlocked.Increment(ref _zero);
                }
                else
                {
                    var fileLength = length + SeedFormat.Overhead;
                    SeedFormat.EncryptChunk(_key, part, index, offset, plain.AsSpan(0, length), file.AsSpan(0, fileLength));
                    if (_options.Throttle is { } throttle)
                    {
                        await throttle.WaitAsync(fileLength, token);
                    }

                    if (_options.SharedThrottle is { } shared)
                    {
                        await shared.WaitAsync(fileLength, token);
                    }

                    // Not flushed here: a checkpoint flushes every chunk written since the last one before it records them.
                    path = SeedFormat.ChunkPath(_devices[device].Folder, part.SeedId, index);
                    await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                    {
                        await stream.WriteAsync(file.AsMemory(0, fileLength), token);
                    }

                    chunk.Sha256 = SeedFormat.Sha256Hex(file.AsSpan(0, fileLength));
                    Interlocked.Increment(ref _written);
                    Interlocked.Add(ref _bytesWritten, fileLength);
                }

                _pending.Enqueue((part, chunk, path));
                _progress.Add(length);
                await MaybeCheckpointAsync(token);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(plain);
                ArrayPool<byte>.Shared.Return(file);
            }
        }

        private async ValueTask MaybeCheckpointAsync(CancellationToken token)
        {
            if (Volatile.Read(ref _backgroundFailure) is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            if (_pending.Count < _options.CheckpointEveryChunks && _sinceCheckpoint.Elapsed < _options.CheckpointEvery)
            {
                return;
            }

            // One checkpoint at a time, in the background: its flushes wait for the device while the workers go on.
            if (!await _checkpointGate.WaitAsync(0, token))
            {
                return;
            }

            _ = Task.Run(
                async () =>
                {
                    try
                    {
                        await CheckpointCoreAsync(token, report: true);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.CompareExchange(ref _backgroundFailure, ex, null);
                    }
                    finally
                    {
                        _checkpointGate.Release();
                    }
                },
                CancellationToken.None);
        }

        /// <summary>Waits for a background checkpoint, then takes one; a background checkpoint's failure is thrown here.</summary>
        private async ValueTask CheckpointAsync(CancellationToken token, bool report)
        {
            await _checkpointGate.WaitAsync(CancellationToken.None);
            try
            {
                if (Volatile.Read(ref _backgroundFailure) is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                await CheckpointCoreAsync(token, report);
            }
            finally
            {
                _checkpointGate.Release();
            }
        }

        /// <summary>Flushes the chunk files written since the last checkpoint to the device, then records them in the manifests.</summary>
        private async ValueTask CheckpointCoreAsync(CancellationToken token, bool report)
        {
            var batch = new List<(SeedDiskPart Part, SeedChunk Chunk, string? Path)>();
            while (_pending.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            foreach (var (_, _, path) in batch)
            {
                if (path is not null)
                {
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                    stream.Flush(flushToDisk: true);
                }
            }

            SeedWriteCheckpoint point;
            lock (_lock)
            {
                foreach (var (part, chunk, _) in batch)
                {
                    part.Chunks.Add(chunk);
                    _recorded++;
                    _bytesRecorded += chunk.Length;
                }

                SaveAll();
                _sinceCheckpoint.Restart();
                point = new SeedWriteCheckpoint(_diskId, _recorded, _plan.Chunks.Count, _bytesRecorded);
            }

            if (report && _options.OnCheckpoint is { } callback)
            {
                await callback(point, token);
            }
        }

        private void SaveAll()
        {
            lock (_lock)
            {
                foreach (var part in _parts.Values)
                {
                    part.Chunks.Sort((a, b) => a.Index.CompareTo(b.Index));
                }

                foreach (var device in _parts.Keys)
                {
                    SeedFormat.WriteManifest(_devices[device].Folder, _key, _manifests[device]);
                }
            }
        }
    }
}
