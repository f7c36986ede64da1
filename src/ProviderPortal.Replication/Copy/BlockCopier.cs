using System.Diagnostics;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Replication.Copy;

/// <summary>Copies a block device to another: whole, by changed ranges, or by a dirty bitmap; resumable from a checkpoint.</summary>
public static class BlockCopier
{
    /// <summary>Copies between two open devices, which the caller keeps and disposes. Any device error ends the copy.</summary>
    public static async Task<CopyResult> CopyAsync(IBlockDevice source, IBlockDevice target, CopyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        RequireFlushForCheckpoints(request);
        var clock = Stopwatch.StartNew();
        var plan = await ResolvedPlan.ResolveAsync(source, request.Plan, cancellationToken);
        var start = StartOffset(plan, request.ResumeFrom);
        var counters = new CopyCounters();
        var progress = new ProgressTracker(request.Progress, plan.TotalBytes, request.Options.ProgressInterval);
        progress.Reset(plan.BytesBelow(start));
        var run = new CopyRun(source, target, plan, request.Options, start, counters, progress, request.OnCheckpoint, cancellationToken);
        await run.RunAsync(cancellationToken);
        progress.Complete();
        return counters.ToResult(clock.Elapsed, 1, run.Verified, run.FirstMismatch);
    }

    /// <summary>
    /// Opens the devices with the factories and copies. A transient device error closes both, waits
    /// (doubling per <see cref="CopyOptions.Retry"/>), reopens them and goes on from the last checkpoint;
    /// any other error ends the copy at once.
    /// </summary>
    public static async Task<CopyResult> CopyAsync(
        Func<CancellationToken, ValueTask<IBlockDevice>> openSource,
        Func<CancellationToken, ValueTask<IBlockDevice>> openTarget,
        CopyRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openSource);
        ArgumentNullException.ThrowIfNull(openTarget);
        ArgumentNullException.ThrowIfNull(request);
        RequireFlushForCheckpoints(request);
        var clock = Stopwatch.StartNew();
        var counters = new CopyCounters();
        var checkpoint = request.ResumeFrom;
        ResolvedPlan? plan = null;
        ProgressTracker? progress = null;

        async ValueTask RememberAsync(CopyCheckpoint reached, CancellationToken token)
        {
            checkpoint = reached;
            if (request.OnCheckpoint is { } report)
            {
                await report(reached, token);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            IBlockDevice? source = null;
            IBlockDevice? target = null;
            try
            {
                source = await openSource(cancellationToken);
                target = await openTarget(cancellationToken);
                plan ??= await ResolvedPlan.ResolveAsync(source, request.Plan, cancellationToken);
                if (source.Size != plan.SourceSize)
                {
                    throw new InvalidOperationException($"The source {source.Name} changed size between attempts ({plan.SourceSize} then {source.Size} bytes).");
                }

                var start = StartOffset(plan, checkpoint);
                progress ??= new ProgressTracker(request.Progress, plan.TotalBytes, request.Options.ProgressInterval);
                progress.Reset(plan.BytesBelow(start));
                // Without flushes nothing copied is known to be durable, so a retry starts again from the beginning.
                var run = new CopyRun(source, target, plan, request.Options, start, counters, progress, request.Options.FlushTarget ? RememberAsync : null, cancellationToken);
                await run.RunAsync(cancellationToken);
                progress.Complete();
                return counters.ToResult(clock.Elapsed, attempt, run.Verified, run.FirstMismatch);
            }
            catch (BlockDeviceException ex) when (ex.IsTransient && attempt < request.Options.Retry.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Retried below, once both devices are closed.
            }
            finally
            {
                await DisposeQuietlyAsync(source);
                await DisposeQuietlyAsync(target);
            }

            await Task.Delay(request.Options.Retry.DelayAfter(attempt), cancellationToken);
        }
    }

    /// <summary>
    /// The id the checkpoints of <paramref name="plan"/> over <paramref name="source"/> carry, so a caller holding a stored
    /// checkpoint can tell before copying whether it belongs to this plan (a copy refuses a checkpoint of another plan).
    /// </summary>
    public static async Task<string> PlanIdAsync(IBlockDevice source, CopyPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(plan);
        return (await ResolvedPlan.ResolveAsync(source, plan, cancellationToken)).Id;
    }

    private static void RequireFlushForCheckpoints(CopyRequest request)
    {
        if (request.OnCheckpoint is not null && !request.Options.FlushTarget)
        {
            throw new ArgumentException("A copy with checkpoints must flush its target: a checkpoint promises that the data below it is durable.", nameof(request));
        }
    }

    private static long StartOffset(ResolvedPlan plan, CopyCheckpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return 0;
        }

        if (checkpoint.PlanId != plan.Id)
        {
            throw new InvalidOperationException(
                $"The checkpoint belongs to another copy plan (checkpoint {checkpoint.PlanId}, this copy {plan.Id}): the source size or the ranges to copy differ. Start this copy without the checkpoint.");
        }

        if (checkpoint.Offset > plan.SourceSize)
        {
            throw new InvalidOperationException($"The checkpoint's offset {checkpoint.Offset} lies past the source's {plan.SourceSize} bytes.");
        }

        return checkpoint.Offset;
    }

    private static async ValueTask DisposeQuietlyAsync(IBlockDevice? device)
    {
        if (device is null)
        {
            return;
        }

        try
        {
            await device.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A broken connection may fail to close; the copy's outcome does not depend on it.
        }
    }
}
