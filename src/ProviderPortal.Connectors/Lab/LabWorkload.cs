namespace ProviderPortal.Connectors.Lab;

/// <summary>
/// The lab's guests at work: writes pseudo-random 64 KiB blocks at random places inside each disk's hot
/// region, at each running VM's rate (<see cref="LabEnvironment.SetWorkloadRateAsync"/>), through the lab's
/// change tracking. A VM that is off or shutting down gets nothing. One loop per instance.
/// </summary>
public sealed class LabWorkload
{
    /// <summary>At most this much is owed per VM per step, so a long pause does not turn into a burst.</summary>
    private const long MaxBytesPerStep = 256L * 1024 * 1024;

    private readonly LabEnvironment _lab;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<string, double> _owed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytesWritten;

    public LabWorkload(LabEnvironment lab, int? seed = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        _lab = lab;
        _time = timeProvider ?? TimeProvider.System;
        _random = seed is { } value ? new Random(value) : new Random();
    }

    /// <summary>How often <see cref="RunAsync"/> writes: each step writes what the rates owe for the time since the last.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes written by this workload since it was made.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Writes until <paramref name="cancellationToken"/> is cancelled, then returns quietly (a BackgroundService's loop).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, _time);
        var last = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = _time.GetTimestamp();
                await WriteOnceAsync(_time.GetElapsedTime(last, now), cancellationToken);
                last = now;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One step: writes what each running VM's rate owes for <paramref name="elapsed"/>; returns the bytes written.</summary>
    public async Task<long> WriteOnceAsync(TimeSpan elapsed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        var written = await _lab.WriteWorkloadAsync(vm => Plan(vm, elapsed), cancellationToken);
        Interlocked.Add(ref _bytesWritten, written);
        return written;
    }

    /// <summary>Called under the lab's lock for each running VM; fractions of a block carry over to the next step.</summary>
    private List<LabWrite> Plan(LabVmState vm, TimeSpan elapsed)
    {
        var hot = vm.Disks.Where(d => HotBlocks(d) > 0).ToList();
        if (hot.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            var owed = Math.Min(MaxBytesPerStep, _owed.GetValueOrDefault(vm.Id) + (vm.WorkloadBytesPerSecond * elapsed.TotalSeconds));
            var blocks = (int)(owed / LabEnvironment.BlockSize);
            _owed[vm.Id] = owed - ((double)blocks * LabEnvironment.BlockSize);
            if (blocks == 0)
            {
                return [];
            }

            var data = new byte[(long)blocks * LabEnvironment.BlockSize];
            _random.NextBytes(data);
            var totalHotBlocks = hot.Sum(HotBlocks);
            var writes = new List<LabWrite>(blocks);
            for (var i = 0; i < blocks; i++)
            {
                // Disks weighted by the size of their hot region, blocks uniform inside it.
                var pick = _random.NextInt64(totalHotBlocks);
                var disk = hot[0];
                foreach (var candidate in hot)
                {
                    disk = candidate;
                    if (pick < HotBlocks(candidate))
                    {
                        break;
                    }

                    pick -= HotBlocks(candidate);
                }

                var start = AlignUp(disk.HotOffset);
                writes.Add(new LabWrite(disk.Key, start + (pick * LabEnvironment.BlockSize), data.AsMemory(i * LabEnvironment.BlockSize, LabEnvironment.BlockSize)));
            }

            return writes;
        }
    }

    /// <summary>Whole blocks of the hot region that lie inside the disk.</summary>
    private static long HotBlocks(LabDiskState disk)
    {
        var start = AlignUp(disk.HotOffset);
        var end = Math.Min(disk.HotOffset + disk.HotLength, disk.CapacityBytes);
        return Math.Max(0, (end - start) / LabEnvironment.BlockSize);
    }

    private static long AlignUp(long offset) => (offset + LabEnvironment.BlockSize - 1) / LabEnvironment.BlockSize * LabEnvironment.BlockSize;
}
