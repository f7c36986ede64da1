using System.Diagnostics;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Copy;

public class RetryTests
{
    private static readonly CopyOptions s_options = new()
    {
        RequestSize = 256 * 1024,
        RangeSize = MiB,
        Workers = 2,
        CheckpointEveryBytes = MiB,
        Retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) },
    };

    [Fact]
    public async Task CopyAsync_TransientFaultMidway_ReopensAfterBackoffAndFinishesIdentical()
    {
        var source = RandomData("source", 16L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var opened = 0;
        var written = new List<long>();
        var clock = Stopwatch.StartNew();

        var result = await BlockCopier.CopyAsync(
            _ =>
            {
                var handle = source.Reopen();
                if (Interlocked.Increment(ref opened) == 1)
                {
                    handle.FailRequest(40);
                }

                return ValueTask.FromResult<IBlockDevice>(handle);
            },
            _ =>
            {
                var handle = target.Reopen();
                lock (written)
                {
                    written.Add(0);
                }

                return ValueTask.FromResult<IBlockDevice>(handle);
            },
            new CopyRequest { Options = s_options });

        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, opened);
        Assert.Equal(2, written.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(100), $"no backoff: {clock.Elapsed}");
        Assert.Equal(source.ToArray(), target.ToArray());
        // The second attempt started from a checkpoint, so not everything was copied twice.
        Assert.InRange(result.BytesRead, source.Size, (2 * source.Size) - MiB);
    }

    [Fact]
    public async Task CopyAsync_NonTransientFault_FailsFastWithTheDeviceMessage()
    {
        var source = RandomData("disk-7", 4L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var opened = 0;

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => BlockCopier.CopyAsync(
            FailingOpener(source, () => opened++, handle => handle.FailRequest(3, transient: false)),
            _ => ValueTask.FromResult<IBlockDevice>(target.Reopen()),
            new CopyRequest { Options = s_options }));

        Assert.Equal(1, opened);
        Assert.Contains("disk-7", error.Message, StringComparison.Ordinal);
        Assert.Contains("injected fault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopyAsync_TransientEveryTime_GivesUpAfterMaxAttempts()
    {
        var source = RandomData("source", 4L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var opened = 0;

        var error = await Assert.ThrowsAsync<BlockDeviceException>(() => BlockCopier.CopyAsync(
            FailingOpener(source, () => opened++, handle => handle.FailRequest(2)),
            _ => ValueTask.FromResult<IBlockDevice>(target.Reopen()),
            new CopyRequest { Options = s_options with { Retry = s_options.Retry with { InitialDelay = TimeSpan.FromMilliseconds(1) } } }));

        Assert.True(error.IsTransient);
        Assert.Equal(3, opened);
    }

    [Fact]
    public void DelayAfter_Attempts_DoublesUpToTheCap()
    {
        var policy = new RetryPolicy();

        var delays = Enumerable.Range(1, 7).Select(a => policy.DelayAfter(a).TotalSeconds);

        Assert.Equal([0.5, 1, 2, 4, 8, 10, 10], delays);
    }

    /// <summary>Opens a new handle on <paramref name="source"/> per attempt, counting and arming a fault on each.</summary>
    private static Func<CancellationToken, ValueTask<IBlockDevice>> FailingOpener(MemoryDevice source, Action onOpen, Action<MemoryDevice> arm) =>
        _ =>
        {
            onOpen();
            var handle = source.Reopen();
            arm(handle);
            return ValueTask.FromResult<IBlockDevice>(handle);
        };
}
