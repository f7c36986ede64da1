using System.Diagnostics;
using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Copy;

public class ThrottleTests
{
    [Fact]
    public async Task CopyAsync_Throttled_TakesAtLeastSizeOverRate()
    {
        var source = RandomData("source", 20L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var clock = Stopwatch.StartNew();

        await BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = new CopyOptions { RequestSize = MiB, Throttle = new Throttle(40L * MiB) },
        });

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task CopyAsync_ThrottleLiftedMidway_FinishesFarSoonerThanTheFirstRate()
    {
        var source = RandomData("source", 20L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var throttle = new Throttle(4L * MiB);
        var clock = Stopwatch.StartNew();

        var copy = BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = new CopyOptions { RequestSize = MiB, Throttle = throttle },
        });
        await Task.Delay(300);
        var writtenAtChange = target.BytesWritten;
        throttle.BytesPerSecond = null;
        await copy;

        // At 4 MiB/s the copy needs about 5 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"took {clock.Elapsed}");
        Assert.True(writtenAtChange < 8L * MiB, $"{writtenAtChange} bytes in 0.3 s at 4 MiB/s");
        Assert.Equal(source.ToArray(), target.ToArray());
    }

    [Fact]
    public async Task WaitAsync_Unlimited_ReturnsAtOnce()
    {
        var throttle = new Throttle(0);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 1000; i++)
        {
            await throttle.WaitAsync(MiB, CancellationToken.None);
        }

        Assert.Null(throttle.BytesPerSecond);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task CopyAsync_OwnAndSharedThrottle_BothChargedWithEveryByteWritten()
    {
        var source = RandomData("source", 8L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var own = new Throttle();
        var shared = new Throttle();

        var result = await BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = new CopyOptions { RequestSize = MiB, Throttle = own, SharedThrottle = shared },
        });

        Assert.Equal(8L * MiB, result.BytesWritten);
        Assert.Equal(result.BytesWritten, own.BytesAdmitted);
        Assert.Equal(result.BytesWritten, shared.BytesAdmitted);
    }

    [Fact]
    public async Task CopyAsync_TwoCopiesSharingOneThrottle_SharedChargedWithBothOwnWithItsOwn()
    {
        var firstSource = RandomData("first", 4L * MiB, seed: 2);
        var secondSource = RandomData("second", 6L * MiB, seed: 3);
        var shared = new Throttle();
        var firstOwn = new Throttle();
        var secondOwn = new Throttle();

        var results = await Task.WhenAll(
            BlockCopier.CopyAsync(firstSource, new MemoryDevice("t1", firstSource.Size), new CopyRequest
            {
                Options = new CopyOptions { RequestSize = MiB, Throttle = firstOwn, SharedThrottle = shared },
            }),
            BlockCopier.CopyAsync(secondSource, new MemoryDevice("t2", secondSource.Size), new CopyRequest
            {
                Options = new CopyOptions { RequestSize = MiB, Throttle = secondOwn, SharedThrottle = shared },
            }));

        Assert.Equal(results[0].BytesWritten, firstOwn.BytesAdmitted);
        Assert.Equal(results[1].BytesWritten, secondOwn.BytesAdmitted);
        Assert.Equal(10L * MiB, shared.BytesAdmitted);
    }

    [Fact]
    public async Task CopyAsync_SharedThrottleNearlyShut_WaitsOnItEvenWithOwnUnlimited_ThenFinishesWhenLifted()
    {
        var source = RandomData("source", 4L * MiB);
        var target = new MemoryDevice("target", source.Size);
        // One byte a second: the first request goes through and leaves a debt of a whole request, which blocks the rest.
        var shared = new Throttle(1);

        var copy = BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = new CopyOptions { RequestSize = MiB, Workers = 1, Throttle = new Throttle(), SharedThrottle = shared },
        });
        while (shared.BytesAdmitted == 0)
        {
            await Task.Delay(5);
        }

        await Task.Delay(100);
        Assert.False(copy.IsCompleted);
        Assert.Equal(MiB, shared.BytesAdmitted);

        shared.BytesPerSecond = null;
        var result = await copy.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4L * MiB, result.BytesWritten);
        Assert.Equal(source.ToArray(), target.ToArray());
    }
}
