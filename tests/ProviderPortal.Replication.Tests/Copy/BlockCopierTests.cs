using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Copy;

public class BlockCopierTests
{
    // Odd on purpose: not a multiple of 4096, nor a divisor of the device size.
    private static readonly CopyOptions s_odd = new() { RequestSize = 1_000_003, RangeSize = 2L * MiB, Workers = 3 };

    [Fact]
    public async Task CopyAsync_FullCopyOfMixedLayout_TargetEqualsSource()
    {
        var source = Mixed(out _);
        var target = new MemoryDevice("target", source.Size);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd });

        Assert.Equal(source.ToArray(), target.ToArray());
        Assert.Equal(4, result.Ranges);
    }

    [Fact]
    public async Task CopyAsync_WithoutCheckpoints_FlushesOnTheWayAndAtTheEnd()
    {
        var source = Mixed(out _);
        var target = Dirty("target", source.Size);
        var options = s_odd with { FlushEveryBytes = 2L * MiB };

        await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = options });

        Assert.Equal(source.ToArray(), target.ToArray());
        Assert.True(target.FlushCount >= 2, $"{target.FlushCount} flush(es)");
        Assert.Empty(target.UnflushedRanges);
    }

    [Fact]
    public async Task CopyAsync_FlushEveryBytesZero_FlushesOnlyAtTheEnd()
    {
        var source = Mixed(out _);
        var target = Dirty("target", source.Size);

        await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd with { FlushEveryBytes = 0 } });

        Assert.Equal(1, target.FlushCount);
        Assert.Empty(target.UnflushedRanges);
    }

    [Fact]
    public async Task CopyAsync_FlushTargetOff_CopiesExactlyWithoutAnyFlush()
    {
        var source = Mixed(out _);
        var target = Dirty("target", source.Size);

        await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd with { FlushTarget = false } });

        Assert.Equal(source.ToArray(), target.ToArray());
        Assert.Equal(0, target.FlushCount);
    }

    [Fact]
    public async Task CopyAsync_CheckpointsWithoutFlush_RefusedBeforeWriting()
    {
        var source = Mixed(out _);
        var target = new MemoryDevice("target", source.Size);
        var request = new CopyRequest { Options = s_odd with { FlushTarget = false }, OnCheckpoint = (_, _) => ValueTask.CompletedTask };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => BlockCopier.CopyAsync(source, target, request));

        Assert.Contains("must flush", error.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[source.Size], target.ToArray());
    }

    [Fact]
    public async Task CopyAsync_ZeroTarget_HolesNeitherReadNorWritten()
    {
        var source = Mixed(out _);
        var allocated = AllocatedDataBytes(source);
        var target = new MemoryDevice("target", source.Size);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd });

        Assert.Equal(allocated, source.BytesRead);
        Assert.Equal(allocated, result.BytesRead);
        Assert.Equal(0, target.BytesZeroed);
        // The all-zero stretch inside the data is skipped too.
        Assert.Equal(allocated - (128 * 1024), target.BytesWritten);
        Assert.Equal(source.Size - target.BytesWritten, result.BytesSkipped);
    }

    [Fact]
    public async Task CopyAsync_NonZeroTarget_ZeroRunsWrittenAsZeroes()
    {
        var source = Mixed(out _);
        var allocated = AllocatedDataBytes(source);
        var target = Dirty("target", source.Size);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd });

        Assert.Equal(source.ToArray(), target.ToArray());
        Assert.Equal(source.Size - allocated + (128 * 1024), target.BytesZeroed);
        Assert.Equal(target.BytesZeroed, result.BytesWrittenAsZeroes);
        Assert.Equal(0, result.BytesSkipped);
    }

    [Fact]
    public async Task CopyAsync_SourceWithoutExtents_ReadsEverythingAndStillEqual()
    {
        var data = Mixed(out _);
        var source = new MemoryDevice("plain", data.Size, MemoryDevice.DefaultCapabilities & ~DeviceCapabilities.Extents);
        await source.WriteAsync(0, data.ToArray(), CancellationToken.None);
        source = source.Reopen();
        var target = Dirty("target", data.Size);

        await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd });

        Assert.Equal(data.Size, source.BytesRead);
        Assert.Equal(data.ToArray(), target.ToArray());
    }

    [Fact]
    public async Task CopyAsync_ChangedRanges_CopiesExactlyThoseBytes()
    {
        var source = RandomData("source", 8L * MiB);
        var target = RandomData("target", 8L * MiB, seed: 2);
        ByteRange[] changes = [new(100, 5000), new(3L * MiB - 7, 2L * MiB + 11), new(8L * MiB - 1, 1)];

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.Changed(changes), Options = s_odd });

        var sourceBytes = source.ToArray();
        var targetBytes = target.ToArray();
        var original = RandomData("original", 8L * MiB, seed: 2).ToArray();
        for (var i = 0; i < sourceBytes.Length; i++)
        {
            var changed = changes.Any(c => i >= c.Offset && i < c.End);
            Assert.Equal(changed ? sourceBytes[i] : original[i], targetBytes[i]);
        }

        Assert.Equal(changes.Sum(c => c.Length), target.BytesWritten);
        Assert.Equal(changes.Sum(c => c.Length), result.BytesRead);
    }

    [Fact]
    public async Task CopyAsync_DirtyBitmapPlan_CopiesMarkedRanges()
    {
        var source = RandomData("source", 4L * MiB);
        source.MarkDirty("cbt", MiB, 300_000);
        source.MarkDirty("cbt", 3L * MiB, 65_536);
        var target = Dirty("target", 4L * MiB);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Plan = CopyPlan.FromDirtyBitmap("cbt"), Options = s_odd });

        Assert.Equal(365_536, target.BytesWritten);
        Assert.Equal(source.Snapshot(MiB, 300_000), target.Snapshot(MiB, 300_000));
        Assert.Equal(source.Snapshot(3L * MiB, 65_536), target.Snapshot(3L * MiB, 65_536));
        Assert.All(target.Snapshot(0, MiB), b => Assert.Equal(0xFF, b));
        Assert.Equal(365_536, result.BytesRead);
    }

    [Fact]
    public async Task CopyAsync_TargetIsZeroOption_SkipsHolesOnATargetThatDoesNotSaySo()
    {
        var source = Mixed(out _);
        var target = new MemoryDevice("target", source.Size, MemoryDevice.DefaultCapabilities & ~DeviceCapabilities.ZeroInitialized);

        await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd with { TargetIsZero = true } });

        Assert.Equal(0, target.BytesZeroed);
        Assert.Equal(source.ToArray(), target.ToArray());
    }

    [Fact]
    public async Task CopyAsync_VerifyWithCorruptingTarget_ReportsTheFlippedByte()
    {
        var source = RandomData("source", 3L * MiB);
        var target = new MemoryDevice("target", source.Size);
        target.CorruptWritesAt(2_000_001);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd with { Verify = true } });

        Assert.False(result.Verified);
        Assert.Equal(2_000_001, result.FirstMismatchOffset);
    }

    [Fact]
    public async Task CopyAsync_VerifyWithHonestTarget_Verified()
    {
        var source = Mixed(out _);
        var target = Dirty("target", source.Size);

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest { Options = s_odd with { Verify = true } });

        Assert.True(result.Verified);
        Assert.Null(result.FirstMismatchOffset);
    }

    [Fact]
    public async Task CopyAsync_SmallerTarget_RefusedWithBothSizes()
    {
        var source = RandomData("source", MiB);
        var target = new MemoryDevice("small", MiB - 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BlockCopier.CopyAsync(source, target, new CopyRequest()));

        Assert.Contains("1048575", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyAsync_ProgressReported_ReachesTotalWithEtaZero()
    {
        var source = RandomData("source", 4L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var reports = new List<CopyProgress>();
        var progress = new SynchronousProgress(reports);

        await BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = s_odd with { ProgressInterval = TimeSpan.Zero, Workers = 1 },
            Progress = progress,
        });

        Assert.True(reports.Count > 2);
        Assert.Equal(4L * MiB, reports[^1].BytesDone);
        Assert.Equal(4L * MiB, reports[^1].BytesTotal);
        Assert.Equal(TimeSpan.Zero, reports[^1].EstimatedTimeRemaining);
        Assert.Equal(reports.Select(r => r.BytesDone).Order(), reports.Select(r => r.BytesDone));
    }

    private sealed class SynchronousProgress(List<CopyProgress> reports) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
