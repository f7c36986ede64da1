using ProviderPortal.Replication.Copy;
using ProviderPortal.Replication.Devices;
using static ProviderPortal.Replication.Tests.TestDevices;

namespace ProviderPortal.Replication.Tests.Copy;

public class CheckpointTests
{
    private static readonly CopyOptions s_small = new()
    {
        RequestSize = 256 * 1024,
        RangeSize = MiB,
        Workers = 4,
        CheckpointEveryBytes = MiB,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task CopyAsync_Checkpoints_MonotonicAndNeverPastUnflushedWrites(int workers)
    {
        var source = RandomData("source", 24L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var offsets = new List<long>();
        var violations = new List<string>();

        await BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = s_small with { Workers = workers },
            OnCheckpoint = (checkpoint, _) =>
            {
                lock (offsets)
                {
                    offsets.Add(checkpoint.Offset);
                    violations.AddRange(target.UnflushedRanges.Where(r => r.Offset < checkpoint.Offset).Select(r => $"{r} below {checkpoint.Offset}"));
                    if (target.Snapshot(0, (int)checkpoint.Offset).AsSpan().SequenceEqual(source.Snapshot(0, (int)checkpoint.Offset)) is false)
                    {
                        violations.Add($"bytes below {checkpoint.Offset} differ");
                    }
                }

                return ValueTask.CompletedTask;
            },
        });

        Assert.Empty(violations);
        // One worker finishes ranges in order, so every 1 MiB range yields a checkpoint; more workers may finish
        // ranges out of order and so skip some.
        if (workers == 1)
        {
            Assert.Equal(24, offsets.Count);
        }

        Assert.Equal(offsets.Order(), offsets);
        Assert.Equal(offsets.Count, offsets.Distinct().Count());
        Assert.Equal(source.Size, offsets[^1]);
    }

    [Fact]
    public async Task CopyAsync_CancelledThenResumedFromJson_IdenticalAndCopiesOnlyTheRest()
    {
        var source = RandomData("source", 32L * MiB);
        var target = new MemoryDevice("target", source.Size);
        var file = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.json");
        using var cancel = new CancellationTokenSource();
        source.RequestDelay = TimeSpan.FromMilliseconds(1);

        try
        {
            // One worker takes ranges in order, so the cancel lands right after the 8 MiB checkpoint.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BlockCopier.CopyAsync(source, target, new CopyRequest
            {
                Options = s_small with { Workers = 1 },
                OnCheckpoint = async (checkpoint, token) =>
                {
                    await File.WriteAllTextAsync(file, checkpoint.ToJson(), token);
                    if (checkpoint.Offset >= 8L * MiB)
                    {
                        await cancel.CancelAsync();
                    }
                },
            }, cancel.Token));

            var saved = CopyCheckpoint.FromJson(await File.ReadAllTextAsync(file));
            Assert.Equal(8L * MiB, saved.Offset);
            var resumedSource = source.Reopen();
            var resumedTarget = target.Reopen();

            var result = await BlockCopier.CopyAsync(resumedSource, resumedTarget, new CopyRequest { Options = s_small, ResumeFrom = saved });

            Assert.Equal(source.ToArray(), target.ToArray());
            Assert.Equal(source.Size - saved.Offset, resumedTarget.BytesWritten);
            Assert.Equal(source.Size - saved.Offset, result.BytesRead);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CopyAsync_StalledRequestThenCancelled_LastCheckpointStillValid()
    {
        var source = RandomData("source", 16L * MiB);
        var target = new MemoryDevice("target", source.Size);
        source.StallRequest(30);
        CopyCheckpoint? last = null;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Options = s_small with { Workers = 2 },
            OnCheckpoint = (checkpoint, _) =>
            {
                last = checkpoint;
                return ValueTask.CompletedTask;
            },
        }, cancel.Token));

        Assert.NotNull(last);
        Assert.InRange(last.Offset, MiB, 8L * MiB);
        Assert.Equal(source.Snapshot(0, (int)last.Offset), target.Snapshot(0, (int)last.Offset));
    }

    [Fact]
    public async Task CopyAsync_CheckpointOfAnotherPlan_RefusedWithClearMessage()
    {
        var source = RandomData("source", 2L * MiB);
        var target = new MemoryDevice("target", source.Size);
        CopyCheckpoint? full = null;
        await BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            OnCheckpoint = (c, _) =>
            {
                full = c;
                return ValueTask.CompletedTask;
            },
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BlockCopier.CopyAsync(source, target, new CopyRequest
        {
            Plan = CopyPlan.Changed([new ByteRange(0, 10)]),
            ResumeFrom = full,
        }));

        Assert.Contains("another copy plan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanIdAsync_IsTheIdTheCopysCheckpointsCarry_AndDiffersForAnotherPlan()
    {
        var source = RandomData("source", 2L * MiB);
        var plan = CopyPlan.Changed([new ByteRange(0, MiB), new ByteRange(MiB + 4096, 8192)]);
        CopyCheckpoint? last = null;
        await BlockCopier.CopyAsync(source, new MemoryDevice("target", source.Size), new CopyRequest
        {
            Plan = plan,
            OnCheckpoint = (c, _) =>
            {
                last = c;
                return ValueTask.CompletedTask;
            },
        });

        Assert.Equal(last!.PlanId, await BlockCopier.PlanIdAsync(source, plan));
        Assert.NotEqual(last.PlanId, await BlockCopier.PlanIdAsync(source, CopyPlan.Changed([new ByteRange(0, MiB)])));
        Assert.NotEqual(last.PlanId, await BlockCopier.PlanIdAsync(source, CopyPlan.Full));
    }

    [Fact]
    public void FromJson_RoundTrip_SameCheckpoint()
    {
        var checkpoint = new CopyCheckpoint("abc123", 42L * MiB);

        var copy = CopyCheckpoint.FromJson(checkpoint.ToJson());

        Assert.Equal(checkpoint, copy);
    }

    [Fact]
    public void FromJson_NotACheckpoint_FormatException()
    {
        Assert.Throws<FormatException>(() => CopyCheckpoint.FromJson("{\"offset\": 5}"));
    }
}
