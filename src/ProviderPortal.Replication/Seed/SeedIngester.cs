using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Seed;

/// <summary>
/// Reads seed devices at the provider: opens their manifests with the order key, verifies every chunk of a disk (its
/// file's SHA-256 against the authenticated manifest, then its AES-GCM tag) and only then writes the disk into a target.
/// Any problem (a chunk altered, missing or moved, a manifest altered, a part missing, a wrong key) stops the ingest
/// before the first write, with each problem named.
/// </summary>
public static class SeedIngester
{
    /// <summary>The disks on the devices, as their manifests record them. Throws on a wrong key or an altered manifest.</summary>
    public static IReadOnlyList<SeedDiskInfo> ListDisks(IReadOnlyList<string> deviceFolders, SeedKey key)
    {
        var manifests = LoadManifests(deviceFolders, key);
        return manifests
            .SelectMany(m => m.Manifest.Disks)
            .GroupBy(p => p.DiskId, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                return new SeedDiskInfo(
                    g.Key, first.DiskSize, first.DataBytes, first.ChunkCount, g.Sum(p => p.Chunks.Count), first.PartCount, g.Count(),
                    g.Count() == first.PartCount && g.All(p => p.Complete))
                {
                    SourceId = first.SourceId,
                };
            })
            .OrderBy(d => d.DiskId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Verifies every chunk of the disk without writing anything; throws <see cref="SeedVerificationException"/> naming each problem.</summary>
    public static async Task<SeedDiskInfo> VerifyAsync(
        IReadOnlyList<string> deviceFolders, string? diskId, SeedKey key, SeedIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= new SeedIngestOptions();
        var disk = Resolve(LoadManifests(deviceFolders, key), diskId);
        var progress = new ProgressTracker(options.Progress, disk.StoredBytes, options.ProgressInterval);
        await PassAsync(disk, key, null, options, progress, cancellationToken);
        progress.Complete();
        return disk.Info;
    }

    /// <summary>
    /// Verifies every chunk of the disk, then writes it into <paramref name="target"/> (at least the disk's size) and
    /// zeroes the ranges without data unless the target reads as zeroes. With <paramref name="diskId"/> null the devices
    /// must hold exactly one disk. On any verification problem nothing is written.
    /// </summary>
    public static async Task<SeedIngestResult> IngestAsync(
        IReadOnlyList<string> deviceFolders, string? diskId, IBlockDevice target, SeedKey key, SeedIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(key);
        options ??= new SeedIngestOptions();
        var clock = Stopwatch.StartNew();
        var disk = Resolve(LoadManifests(deviceFolders, key), diskId);
        if (target.Size < disk.Info.DiskSize)
        {
            throw new InvalidOperationException($"The target {target.Name} has {target.Size} bytes, fewer than the {disk.Info.DiskSize} of disk {disk.Info.DiskId}.");
        }

        if (target.Capabilities.HasFlag(DeviceCapabilities.ReadOnly))
        {
            throw new InvalidOperationException($"The target {target.Name} is read-only.");
        }

        var progress = new ProgressTracker(options.Progress, 2 * disk.StoredBytes, options.ProgressInterval);
        await PassAsync(disk, key, null, options, progress, cancellationToken);

        var written = await PassAsync(disk, key, target, options, progress, cancellationToken);
        var zeroed = 0L;
        if (!options.TargetIsZero && !target.Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized))
        {
            var position = 0L;
            foreach (var (_, _, chunk) in disk.Stored)
            {
                if (chunk.Offset > position)
                {
                    await target.WriteZeroesAsync(position, chunk.Offset - position, cancellationToken);
                    zeroed += chunk.Offset - position;
                }

                position = chunk.Offset + chunk.Length;
            }

            if (disk.Info.DiskSize > position)
            {
                await target.WriteZeroesAsync(position, disk.Info.DiskSize - position, cancellationToken);
                zeroed += disk.Info.DiskSize - position;
            }
        }

        await target.FlushAsync(cancellationToken);
        progress.Complete();
        return new SeedIngestResult
        {
            DiskId = disk.Info.DiskId,
            DiskSize = disk.Info.DiskSize,
            SourceId = disk.Info.SourceId,
            ChunksVerified = disk.Stored.Count,
            BytesWritten = written,
            BytesZeroed = zeroed,
            Elapsed = clock.Elapsed,
        };
    }

    private static List<(string Folder, SeedManifest Manifest)> LoadManifests(IReadOnlyList<string> deviceFolders, SeedKey key)
    {
        ArgumentNullException.ThrowIfNull(deviceFolders);
        ArgumentNullException.ThrowIfNull(key);
        if (deviceFolders.Count == 0)
        {
            throw new ArgumentException("At least one seed device folder is needed.", nameof(deviceFolders));
        }

        var manifests = new List<(string, SeedManifest)>();
        foreach (var folder in deviceFolders)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"The seed device folder {folder} does not exist (is the device mounted?).");
            }

            var manifest = SeedFormat.ReadManifest(folder, key)
                ?? throw new SeedVerificationException($"The folder {folder} holds no seed manifest ({SeedFormat.ManifestFileName}): it is not a seed device, or its manifest was deleted.");
            manifests.Add((folder, manifest));
        }

        return manifests;
    }

    /// <summary>The disk's parts across the devices, checked to be one whole, finished writing; the problems otherwise.</summary>
    private static ResolvedDisk Resolve(List<(string Folder, SeedManifest Manifest)> manifests, string? diskId)
    {
        var ids = manifests.SelectMany(m => m.Manifest.Disks).Select(p => p.DiskId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (diskId is null)
        {
            if (ids.Count != 1)
            {
                throw new ArgumentException(ids.Count == 0
                    ? "The seed devices hold no disk."
                    : $"The seed devices hold {ids.Count} disks ({string.Join(", ", ids)}): name the one to ingest.");
            }

            diskId = ids[0];
        }

        var parts = manifests
            .SelectMany(m => m.Manifest.Disks.Where(p => p.DiskId == diskId).Select(p => (m.Folder, Part: p)))
            .OrderBy(p => p.Part.Part)
            .ToList();
        if (parts.Count == 0)
        {
            throw new ArgumentException($"The seed devices hold no disk {diskId} (they hold: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}).");
        }

        var problems = new List<string>();
        var first = parts[0].Part;
        if (parts.Any(p => p.Part.SeedId != first.SeedId || p.Part.PlanId != first.PlanId))
        {
            problems.Add($"The devices hold parts of two different writings of disk {diskId}.");
        }

        for (var number = 1; number <= first.PartCount; number++)
        {
            var found = parts.Where(p => p.Part.Part == number).Select(p => p.Folder).ToList();
            if (found.Count == 0)
            {
                problems.Add($"Part {number} of {first.PartCount} of disk {diskId} is on a device that was not given: give every device folder the disk was written on.");
            }
            else if (found.Count > 1)
            {
                problems.Add($"Part {number} of disk {diskId} is on more than one device ({string.Join(", ", found)}).");
            }
        }

        var stored = new List<(string Folder, SeedDiskPart Part, SeedChunk Chunk)>();
        var expectedFirst = 0;
        var end = 0L;
        foreach (var (folder, part) in parts.DistinctBy(p => p.Part.Part))
        {
            if (!part.Complete || part.Chunks.Count != part.EndChunk - part.FirstChunk)
            {
                problems.Add($"The writing of disk {diskId} did not finish on {folder}: {part.Chunks.Count} of {part.EndChunk - part.FirstChunk} chunks are recorded; run the seed write again to finish it.");
                continue;
            }

            if (part.FirstChunk != expectedFirst)
            {
                problems.Add($"The parts of disk {diskId} do not follow each other (part {part.Part} starts at chunk {part.FirstChunk}, expected {expectedFirst}).");
            }

            expectedFirst = part.EndChunk;
            for (var i = 0; i < part.Chunks.Count; i++)
            {
                var chunk = part.Chunks[i];
                if (chunk.Index != part.FirstChunk + i || chunk.Offset < end || chunk.Length <= 0 || chunk.Length > part.ChunkSize || chunk.Offset + chunk.Length > part.DiskSize)
                {
                    problems.Add($"The manifest on {folder} records chunk {chunk.Index} of disk {diskId} out of order or outside the disk.");
                    continue;
                }

                end = chunk.Offset + chunk.Length;
                if (!chunk.Zero)
                {
                    stored.Add((folder, part, chunk));
                }
            }
        }

        if (problems.Count == 0 && expectedFirst != first.ChunkCount)
        {
            problems.Add($"The parts of disk {diskId} hold {expectedFirst} of its {first.ChunkCount} chunks.");
        }

        if (problems.Count > 0)
        {
            throw new SeedVerificationException(problems);
        }

        var info = new SeedDiskInfo(diskId, first.DiskSize, first.DataBytes, first.ChunkCount, parts.Sum(p => p.Part.Chunks.Count), first.PartCount, parts.Count, true)
        {
            SourceId = first.SourceId,
        };
        return new ResolvedDisk(info, stored, stored.Sum(s => (long)s.Chunk.Length));
    }

    /// <summary>
    /// Reads and checks every stored chunk; with a target, also writes it. Verification passes collect every problem
    /// and throw them together; a write pass checks again, so a chunk changed since its verification is not written.
    /// </summary>
    private static async Task<long> PassAsync(
        ResolvedDisk disk, SeedKey key, IBlockDevice? target, SeedIngestOptions options, ProgressTracker progress, CancellationToken cancellationToken)
    {
        var problems = new ConcurrentBag<(int Index, string Problem)>();
        var written = 0L;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Workers), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(disk.Stored, parallel, async (item, token) =>
        {
            var (folder, part, chunk) = item;
            var fileLength = chunk.Length + SeedFormat.Overhead;
            var file = ArrayPool<byte>.Shared.Rent(fileLength + 1);
            var plain = ArrayPool<byte>.Shared.Rent(chunk.Length);
            try
            {
                // The write pass leaves the hash out: the AES-GCM tag alone fails on any byte changed since the verification.
                var problem = await ReadChunkAsync(SeedFormat.ChunkPath(folder, part.SeedId, chunk.Index), file, fileLength, token)
                    ?? (target is null && SeedFormat.Sha256Hex(file.AsSpan(0, fileLength)) != chunk.Sha256
                        ? "was altered or replaced: its SHA-256 differs from the one the manifest records"
                        : !SeedFormat.TryDecryptChunk(key, part, chunk, file.AsSpan(0, fileLength), plain)
                            ? "does not authenticate (its AES-GCM tag fails): it was altered"
                            : null);
                if (problem is not null)
                {
                    problems.Add((chunk.Index, $"Chunk {chunk.Index} of disk {part.DiskId} (offset {chunk.Offset}, {chunk.Length} bytes, file {SeedFormat.ChunkName(part.SeedId, chunk.Index)} on {folder}) {problem}."));
                    return;
                }

                if (target is not null)
                {
                    var step = Math.Max(4096, target.MaximumRequestSize);
                    for (var done = 0; done < chunk.Length; done += step)
                    {
                        await target.WriteAsync(chunk.Offset + done, plain.AsMemory(done, Math.Min(step, chunk.Length - done)), token);
                    }

                    Interlocked.Add(ref written, chunk.Length);
                }

                progress.Add(chunk.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(file);
                ArrayPool<byte>.Shared.Return(plain, clearArray: true);
            }
        });

        if (!problems.IsEmpty)
        {
            var list = problems.OrderBy(p => p.Index).Select(p => p.Problem).ToList();
            if (target is not null)
            {
                list.Add("The device changed after it was verified; the target was partly written and must be ingested again.");
            }

            throw new SeedVerificationException(list);
        }

        return written;
    }

    /// <summary>Reads a chunk file whole into <paramref name="buffer"/>; the problem in words when it is missing or of the wrong length.</summary>
    private static async Task<string?> ReadChunkAsync(string path, byte[] buffer, int expected, CancellationToken cancellationToken)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return "is missing";
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length != expected)
            {
                return $"has {length} bytes instead of {expected}: it was altered or cut short";
            }

            var read = 0;
            while (read < expected)
            {
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, expected - read), read, cancellationToken);
                if (n == 0)
                {
                    return "was cut short while it was read";
                }

                read += n;
            }

            return null;
        }
    }

    private sealed record ResolvedDisk(SeedDiskInfo Info, List<(string Folder, SeedDiskPart Part, SeedChunk Chunk)> Stored, long StoredBytes);
}
