using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Copy;

/// <summary>
/// One attempt at a copy between two open devices. Workers take ranges in order, fetch the source's
/// extents once per range and keep requests in flight under two caps (requests, data buffers).
/// Ranges finish out of order; the checkpoint is the start of the first unfinished range, reported
/// only after the target was flushed.
/// </summary>
internal sealed class CopyRun
{
    private readonly IBlockDevice _source;
    private readonly IBlockDevice _target;
    private readonly ResolvedPlan _plan;
    private readonly CopyOptions _options;
    private readonly CopyCounters _counters;
    private readonly ProgressTracker _progress;
    private readonly Func<CopyCheckpoint, CancellationToken, ValueTask>? _onCheckpoint;
    private readonly List<Window> _windows;
    private readonly bool[] _windowDone;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _requestSlots;
    private readonly SemaphoreSlim _bufferSlots;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly BufferPool _pool;
    private readonly ConcurrentQueue<VerifyChunk> _verifyChunks = new();
    private readonly Stopwatch _sinceCheckpoint = Stopwatch.StartNew();
    private readonly int _requestSize;
    private readonly bool _sourceHasExtents;
    private readonly bool _targetKnownZero;
    private readonly bool _targetCanZero;
    private readonly CancellationTokenSource _cts;
    private int _nextWindow = -1;
    private int _lowWater;
    private long _lastCheckpoint;
    private long _sinceFlush;
    private int _flushing;
    private Task _backgroundFlush = Task.CompletedTask;
    private Exception? _failure;

    public CopyRun(
        IBlockDevice source,
        IBlockDevice target,
        ResolvedPlan plan,
        CopyOptions options,
        long startOffset,
        CopyCounters counters,
        ProgressTracker progress,
        Func<CopyCheckpoint, CancellationToken, ValueTask>? onCheckpoint,
        CancellationToken cancellationToken)
    {
        if (target.Size < source.Size)
        {
            throw new InvalidOperationException($"The target {target.Name} has {target.Size} bytes, fewer than the {source.Size} of the source {source.Name}.");
        }

        if (target.Capabilities.HasFlag(DeviceCapabilities.ReadOnly))
        {
            throw new InvalidOperationException($"The target {target.Name} is read-only.");
        }

        _source = source;
        _target = target;
        _plan = plan;
        _options = options;
        _counters = counters;
        _progress = progress;
        _onCheckpoint = onCheckpoint;
        _lastCheckpoint = startOffset;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var blockSize = Math.Max(1, Math.Max(source.MinimumBlockSize, target.MinimumBlockSize));
        var requestSize = Math.Min(options.RequestSize, Math.Min(source.MaximumRequestSize, target.MaximumRequestSize));
        _requestSize = Math.Max(blockSize, requestSize / blockSize * blockSize);
        _sourceHasExtents = source.Capabilities.HasFlag(DeviceCapabilities.Extents);
        _targetKnownZero = options.TargetIsZero || target.Capabilities.HasFlag(DeviceCapabilities.ZeroInitialized);
        _targetCanZero = target.Capabilities.HasFlag(DeviceCapabilities.WriteZeroes);
        _requestSlots = new SemaphoreSlim(Math.Max(1, options.MaxRequestsInFlight));
        _bufferSlots = new SemaphoreSlim((int)Math.Clamp(options.MaxBytesInFlight / _requestSize, 1, Math.Max(1, options.MaxRequestsInFlight)));
        _pool = new BufferPool(_requestSize);
        _windows = BuildWindows(plan, Math.Max(options.RangeSize, _requestSize), startOffset);
        _windowDone = new bool[_windows.Count];
    }

    public bool Verified { get; private set; }

    public long? FirstMismatch { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var workers = Enumerable.Range(0, Math.Min(Math.Max(1, _options.Workers), _windows.Count))
                .Select(_ => Task.Run(WorkAsync, CancellationToken.None))
                .ToArray();
            await Task.WhenAll(workers);
            await _backgroundFlush;

            // A device may fail in its own way when its request is cancelled: the caller's cancellation wins.
            cancellationToken.ThrowIfCancellationRequested();
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            if (_options.FlushTarget)
            {
                await _target.FlushAsync(cancellationToken);
            }

            if (_options.Verify)
            {
                await VerifyAsync(cancellationToken);
                Verified = FirstMismatch is null;
            }

            if (_onCheckpoint is not null && FirstMismatch is null)
            {
                await _onCheckpoint(new CopyCheckpoint(_plan.Id, _plan.SourceSize), cancellationToken);
            }
        }
        finally
        {
            _cts.Dispose();
        }
    }

    private static List<Window> BuildWindows(ResolvedPlan plan, long rangeSize, long startOffset)
    {
        var windows = new List<Window>();
        var segments = new List<ByteRange>();
        var windowStart = startOffset / rangeSize * rangeSize;
        var index = 0;
        while (index < plan.Segments.Count && plan.Segments[index].End <= startOffset)
        {
            index++;
        }

        for (; windowStart < plan.SourceSize && index < plan.Segments.Count; windowStart += rangeSize)
        {
            var windowEnd = Math.Min(windowStart + rangeSize, plan.SourceSize);
            if (plan.Segments[index].Offset >= windowEnd)
            {
                // Jump over windows with nothing to copy.
                windowStart = (plan.Segments[index].Offset / rangeSize * rangeSize) - rangeSize;
                continue;
            }

            segments.Clear();
            for (var i = index; i < plan.Segments.Count && plan.Segments[i].Offset < windowEnd; i++)
            {
                var start = Math.Max(Math.Max(plan.Segments[i].Offset, windowStart), startOffset);
                var end = Math.Min(plan.Segments[i].End, windowEnd);
                if (end > start)
                {
                    segments.Add(new ByteRange(start, end - start));
                }
            }

            while (index < plan.Segments.Count && plan.Segments[index].End <= windowEnd)
            {
                index++;
            }

            if (segments.Count > 0)
            {
                windows.Add(new Window(segments[0].Offset, [.. segments]));
            }
        }

        return windows;
    }

    private async Task WorkAsync()
    {
        var token = _cts.Token;
        try
        {
            int index;
            while ((index = Interlocked.Increment(ref _nextWindow)) < _windows.Count)
            {
                await CopyWindowAsync(_windows[index], token);
                _counters.RangeDone();
                await CompleteWindowAsync(index, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        Interlocked.CompareExchange(ref _failure, ex, null);
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task CopyWindowAsync(Window window, CancellationToken token)
    {
        var pending = new List<Task>();
        Exception? error = null;
        try
        {
            foreach (var segment in window.Segments)
            {
                await CopySegmentAsync(segment, pending, token);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        try
        {
            await Task.WhenAll(pending);
        }
        catch when (error is not null)
        {
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private async Task CopySegmentAsync(ByteRange segment, List<Task> pending, CancellationToken token)
    {
        var position = segment.Offset;
        while (position < segment.End)
        {
            IReadOnlyList<Extent> extents = _sourceHasExtents
                ? await _source.GetExtentsAsync(position, segment.End - position, token)
                : [new Extent(position, segment.End - position, ExtentKind.Data)];

            // Adjacent runs of the same sort become one: zero runs are written (or skipped) as one request.
            var runStart = position;
            var runZero = false;
            var runEnd = position;
            foreach (var extent in extents)
            {
                var start = Math.Max(extent.Offset, runEnd);
                var end = Math.Min(extent.End, segment.End);
                if (end <= start)
                {
                    continue;
                }

                if (start != runEnd)
                {
                    throw new BlockDeviceException(_source.Name, "block-status", runEnd, start - runEnd, "the extents left a gap");
                }

                if (runEnd > runStart && extent.ReadsAsZero != runZero)
                {
                    await SubmitRunAsync(runStart, runEnd - runStart, runZero, pending, token);
                    runStart = start;
                }

                runZero = extent.ReadsAsZero;
                runEnd = end;
            }

            if (runEnd == position)
            {
                throw new BlockDeviceException(_source.Name, "block-status", position, segment.End - position, "no extents were returned");
            }

            await SubmitRunAsync(runStart, runEnd - runStart, runZero, pending, token);
            position = runEnd;
        }
    }

    private async Task SubmitRunAsync(long offset, long length, bool zero, List<Task> pending, CancellationToken token)
    {
        if (zero && _targetKnownZero)
        {
            _counters.Skipped(length);
            _progress.Add(length);
            EnqueueZeroCheck(offset, length);
            return;
        }

        if (zero)
        {
            await _requestSlots.WaitAsync(token);
            pending.Add(ZeroAsync(offset, length, token));
            return;
        }

        for (var done = 0L; done < length; done += _requestSize)
        {
            var count = (int)Math.Min(_requestSize, length - done);
            await _requestSlots.WaitAsync(token);
            try
            {
                await _bufferSlots.WaitAsync(token);
            }
            catch
            {
                _requestSlots.Release();
                throw;
            }

            pending.Add(CopyChunkAsync(offset + done, count, token));
        }
    }

    private async Task ZeroAsync(long offset, long length, CancellationToken token)
    {
        try
        {
            await _target.WriteZeroesAsync(offset, length, token);
            _counters.Zeroed(length);
            _progress.Add(length);
            EnqueueZeroCheck(offset, length);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
            throw;
        }
        finally
        {
            _requestSlots.Release();
        }
    }

    private async Task CopyChunkAsync(long offset, int length, CancellationToken token)
    {
        var buffer = _pool.Rent();
        try
        {
            var data = buffer.AsMemory(0, length);
            await _source.ReadAsync(offset, data, token);
            _counters.Read(length);
            await WriteDataAsync(offset, data, token);
            if (_options.Verify)
            {
                _verifyChunks.Enqueue(new VerifyChunk(offset, length, XxHash128.HashToUInt128(data.Span)));
            }

            _progress.Add(length);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
            throw;
        }
        finally
        {
            _pool.Return(buffer);
            _bufferSlots.Release();
            _requestSlots.Release();
        }
    }

    /// <summary>Writes a data buffer, sending all-zero blocks as zeroes (or not at all) when the target allows it cheaply.</summary>
    private async Task WriteDataAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var block = _options.ZeroDetectionBlockSize;
        if (block <= 0 || !(_targetKnownZero || _targetCanZero))
        {
            await WriteAsync(offset, data, token);
            return;
        }

        // Blocks are aligned to the device, not to the request, so zero runs line up with the target's blocks.
        var position = 0;
        while (position < data.Length)
        {
            var end = NextBoundary(offset, position, block, data.Length);
            var zero = IsZero(data.Span[position..end]);
            while (end < data.Length)
            {
                var next = NextBoundary(offset, end, block, data.Length);
                if (IsZero(data.Span[end..next]) != zero)
                {
                    break;
                }

                end = next;
            }

            var length = end - position;
            if (!zero)
            {
                await WriteAsync(offset + position, data[position..end], token);
            }
            else if (_targetKnownZero)
            {
                _counters.Skipped(length);
            }
            else
            {
                await _target.WriteZeroesAsync(offset + position, length, token);
                _counters.Zeroed(length);
            }

            position = end;
        }
    }

    private static int NextBoundary(long offset, int position, int block, int length) =>
        (int)Math.Min(length, ((offset + position) / block * block) + block - offset);

    private static bool IsZero(ReadOnlySpan<byte> data) => !data.ContainsAnyExcept((byte)0);

    private async Task WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        if (_options.Throttle is { } throttle)
        {
            await throttle.WaitAsync(data.Length, token);
        }

        if (_options.SharedThrottle is { } shared)
        {
            await shared.WaitAsync(data.Length, token);
        }

        await _target.WriteAsync(offset, data, token);
        _counters.Written(data.Length);
    }

    private void EnqueueZeroCheck(long offset, long length)
    {
        if (_options.Verify)
        {
            _verifyChunks.Enqueue(new VerifyChunk(offset, length, null));
        }
    }

    private async Task CompleteWindowAsync(int index, CancellationToken token)
    {
        long candidate;
        lock (_lock)
        {
            _windowDone[index] = true;
            while (_lowWater < _windows.Count && _windowDone[_lowWater])
            {
                _lowWater++;
            }

            candidate = _lowWater < _windows.Count ? _windows[_lowWater].Start : _plan.SourceSize;
        }

        if (_onCheckpoint is null)
        {
            FlushInBackground(_windows[index]);
            return;
        }

        // The last checkpoint is reported by RunAsync after the final flush.
        if (candidate >= _plan.SourceSize)
        {
            return;
        }

        var due = candidate - Interlocked.Read(ref _lastCheckpoint) >= _options.CheckpointEveryBytes
            || (candidate > Interlocked.Read(ref _lastCheckpoint) && _sinceCheckpoint.Elapsed >= _options.CheckpointEvery);
        if (!due || !await _checkpointGate.WaitAsync(0, token))
        {
            return;
        }

        try
        {
            // Every range below the candidate finished its writes before this flush started.
            await _target.FlushAsync(token);
            await _onCheckpoint(new CopyCheckpoint(_plan.Id, candidate), token);
            Interlocked.Exchange(ref _lastCheckpoint, candidate);
            _sinceCheckpoint.Restart();
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Starts a flush once enough was copied since the last one (one at a time); RunAsync awaits it before its own.</summary>
    private void FlushInBackground(Window window)
    {
        if (_options.FlushEveryBytes <= 0 || !_options.FlushTarget)
        {
            return;
        }

        var copied = 0L;
        foreach (var segment in window.Segments)
        {
            copied += segment.Length;
        }

        if (Interlocked.Add(ref _sinceFlush, copied) < _options.FlushEveryBytes || Interlocked.Exchange(ref _flushing, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _sinceFlush, 0);
        _backgroundFlush = FlushAsync();

        async Task FlushAsync()
        {
            try
            {
                await _target.FlushAsync(_cts.Token);
            }
            catch (OperationCanceledException) when (_cts.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
            finally
            {
                Volatile.Write(ref _flushing, 0);
            }
        }
    }

    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Workers), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(_verifyChunks, options, async (chunk, token) =>
        {
            for (var done = 0L; done < chunk.Length; done += _requestSize)
            {
                var count = (int)Math.Min(_requestSize, chunk.Length - done);
                var mismatch = await CompareAsync(chunk, chunk.Offset + done, count, token);
                if (mismatch is not null)
                {
                    lock (_lock)
                    {
                        FirstMismatch = FirstMismatch is { } first ? Math.Min(first, mismatch.Value) : mismatch;
                    }

                    return;
                }
            }
        });
    }

    private async Task<long?> CompareAsync(VerifyChunk chunk, long offset, int count, CancellationToken token)
    {
        await _bufferSlots.WaitAsync(token);
        var targetBuffer = _pool.Rent();
        try
        {
            var target = targetBuffer.AsMemory(0, count);
            await _target.ReadAsync(offset, target, token);
            if (chunk.Hash is null)
            {
                var index = target.Span.IndexOfAnyExcept((byte)0);
                return index < 0 ? null : offset + index;
            }

            if (XxHash128.HashToUInt128(target.Span) == chunk.Hash)
            {
                return null;
            }

            // The hashes differ: read the source again to name the first differing byte.
            var sourceBuffer = GC.AllocateUninitializedArray<byte>(count);
            await _source.ReadAsync(offset, sourceBuffer, token);
            return offset + target.Span.CommonPrefixLength(sourceBuffer);
        }
        finally
        {
            _pool.Return(targetBuffer);
            _bufferSlots.Release();
        }
    }

    private sealed record Window(long Start, ByteRange[] Segments);

    /// <summary>A copied chunk and the hash of what was written, or (null hash) a run that must read as zeroes.</summary>
    private sealed record VerifyChunk(long Offset, long Length, UInt128? Hash);
}
