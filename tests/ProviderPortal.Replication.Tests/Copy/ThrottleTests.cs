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
}
