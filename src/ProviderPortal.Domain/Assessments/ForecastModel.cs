using System.Globalization;

namespace ProviderPortal.Domain.Assessments;

/// <summary>
/// The pre-flight forecast: from observed VMs and link to initial-copy time, delta convergence, cutover
/// downtime, the window to book and network-or-device. Deterministic and pure: no clock, no I/O.
/// Units: bytes, bytes per second, seconds internally; TimeSpans out.
/// </summary>
/// <remarks>
/// The model, per VM with per-VM bandwidth b (see <see cref="BandwidthEstimate"/>), mean change rate r,
/// peak change rate p, delta-cycle interval I, capacity C:
/// <list type="bullet">
/// <item>Baseline: T0 = s + allocated / b, s = the VM's observed snapshot time (every copy, delta and final delta starts with one). VMs are scheduled largest first onto min(parallel, VM count)
/// slots, each VM taking the slot that frees first; a slot stays busy through the VM's catch-up cycles.
/// This is slower than total / group bandwidth when slots idle at the tail, on purpose: a copy's share
/// is not raised when others finish.</item>
/// <item>Delta cycles: the first copies D1 = min(r × T0, C), what changed during the baseline. A cycle
/// that copies D takes D / b, so the next copies D' = max(ρ × D, r × I) with ρ = r / b: the delta shrinks
/// geometrically until it is one interval's changes, the steady state of the schedule. The VM has caught
/// up with the first cycle whose delta is at most r × I. ρ ≥ 1 never converges; neither does a VM still
/// above r × I after MaxDeltaCycles.</item>
/// <item>Final delta (VM off): p × I when caught up (the cutover comes at most one interval after the last
/// snapshot, at the peak rate); when ρ ≥ 1, every change since the baseline snapshot, r × (cutover start
/// − snapshot); capped at C. Downtime = shutdown + s + final delta / b + boot.</item>
/// <item>Group downtime: shutdown + the (s + final delta / b) scheduled across the slots + boot; window = group
/// downtime + margin, rounded up to WindowRounding.</item>
/// <item>Seed device: the smallest catalog model that holds all allocated bytes (else the largest, several
/// of them); handling, ship out, load Σallocated / load speed, ship back, ingest Σallocated / ingest speed.
/// The seed snapshot is taken when loading starts, so each VM's first delta is min(r × (ingest end − load
/// start), C), copied over the network with the same cycles. The device is recommended when the network
/// needs at least SeedDeviceAdvantage times as long to get every VM ready for cutover.</item>
/// </list>
/// </remarks>
public static class ForecastModel
{
    /// <summary>TCP maximum segment size on a 1500-byte MTU path, bytes.</summary>
    public const double TcpSegmentBytes = 1460;

    /// <summary>The constant of the Mathis et al. (1997) bound, √(3/2) rounded as in the paper.</summary>
    public const double MathisConstant = 1.22;

    public static Forecast Compute(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ForecastValidation.Validate(input);

        var settings = input.Settings;
        var vms = input.Vms;
        var bandwidth = EstimateBandwidth(input.Link, settings, vms.Count);
        var b = bandwidth.PerVmBytesPerSecond;
        var slots = bandwidth.ConcurrentCopies;

        var network = PlanNetwork(vms, b, slots, settings);
        var networkReady = network.Values.Max(p => p.Run.ReadyAt);
        var networkInitialCopy = network.Values.Max(p => p.BaselineEnd);

        var seed = PlanSeedDevice(vms, input.SeedDevices, b, slots, settings);
        var useSeed = seed is not null && networkReady >= settings.SeedDeviceAdvantage * seed.ReadyAt;
        var plans = useSeed ? seed!.Plans : network;
        var cutoverStart = plans.Values.Max(p => p.Run.ReadyAt);

        var interval = settings.DeltaCycleInterval.TotalSeconds;
        var rows = new List<VmForecast>(vms.Count);
        var finals = new List<double>(vms.Count);
        foreach (var vm in vms)
        {
            var plan = plans[vm.VmId];
            var limit = DeltaLimit(vm);
            var final = Math.Min(limit, plan.Run.Converged
                ? vm.PeakChangeBytesPerSecond * interval
                : plan.Run.Rho >= 1
                    ? vm.MeanChangeBytesPerSecond * (cutoverStart - plan.SnapshotAt)
                    : Math.Max(plan.Run.Residual, vm.PeakChangeBytesPerSecond * interval));
            finals.Add(final);
            var downtime = settings.ShutdownAllowance + vm.SnapshotDuration + Seconds(final / b) + settings.BootAllowance;
            var warnings = ReadinessRules.For(vm, plan.Run, b, downtime, settings, input.SeedDevices, useSeed);
            rows.Add(new VmForecast(
                vm.VmId,
                vm.Name,
                vm.AllocatedBytes,
                vm.SnapshotDuration + Seconds(vm.AllocatedBytes / b),
                vm.MeanChangeBytesPerSecond / b,
                plan.Run.Converged,
                plan.Run.Cycles.Count,
                (long)Math.Round(plan.Run.Residual),
                (long)Math.Round(final),
                downtime,
                Seconds(plan.Run.ReadyAt),
                plan.Run.Reason,
                warnings));
        }

        var finalCopy = Makespan(finals.Select((f, i) => vms[i].SnapshotDuration.TotalSeconds + (f / b)), slots);
        var groupDowntime = settings.ShutdownAllowance + Seconds(finalCopy) + settings.BootAllowance;
        var groupFinal = (long)Math.Round(finals.Sum());

        return new Forecast
        {
            Bandwidth = bandwidth,
            Vms = rows,
            TotalAllocatedBytes = vms.Sum(v => v.AllocatedBytes),
            NetworkInitialCopy = Seconds(networkInitialCopy),
            NetworkReadyForCutover = Seconds(networkReady),
            SeedDevice = seed?.Plan,
            Method = useSeed ? TransferMethod.SeedDevice : TransferMethod.Network,
            MethodReason = MethodReason(seed?.Plan, networkReady, useSeed, settings.SeedDeviceAdvantage),
            CutoverStart = Seconds(cutoverStart),
            GroupFinalDeltaBytes = groupFinal,
            GroupDowntime = groupDowntime,
            WindowLength = RoundUp(groupDowntime + settings.WindowMargin, settings.WindowRounding),
            Confidence = ConfidenceRule.Assess(vms, input.Link),
            Timeline = Timeline(vms, plans, useSeed ? seed!.Plan : null, cutoverStart, groupDowntime, groupFinal),
        };
    }

    /// <summary>Group = min(measured × efficiency, cap, throttle, loss/latency bound × efficiency), shared by min(parallel, VM count) copies.</summary>
    public static BandwidthEstimate EstimateBandwidth(LinkObservation link, ForecastSettings settings, int vmCount)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(settings);
        ForecastValidation.Link(link);
        ForecastValidation.Settings(settings);
        var concurrent = Math.Max(1, Math.Min(settings.ParallelCopies, vmCount));

        // The cap and the throttle are enforced by the engine on disk bytes, exactly; a measured link (a short probe)
        // and the TCP bound are what the wire may carry, so they lose the efficiency share to overhead and retransmits.
        var group = settings.TenantCapBytesPerSecond;
        var limit = BandwidthLimit.TenantCap;
        if (link.MeasuredBytesPerSecond is { } measured && measured * settings.Efficiency < group)
        {
            (group, limit) = (measured * settings.Efficiency, BandwidthLimit.MeasuredLink);
        }

        if (settings.ThrottleBytesPerSecond is { } throttle && throttle < group)
        {
            (group, limit) = (throttle, BandwidthLimit.Throttle);
        }

        // Mathis et al.: one TCP stream sustains at most MSS × C / (RTT × √loss); the copies' streams add up.
        double? bound = null;
        if (link.LossRatio > 0 && link.LatencyMs > 0)
        {
            var streams = concurrent * settings.TcpStreamsPerCopy;
            bound = streams * TcpSegmentBytes * MathisConstant / (link.LatencyMs / 1000 * Math.Sqrt(link.LossRatio));
            if (bound * settings.Efficiency < group)
            {
                (group, limit) = (bound.Value * settings.Efficiency, BandwidthLimit.LossAndLatency);
            }
        }

        return new BandwidthEstimate(
            link.MeasuredBytesPerSecond,
            settings.TenantCapBytesPerSecond,
            settings.ThrottleBytesPerSecond,
            bound,
            settings.Efficiency,
            limit,
            group,
            concurrent,
            group / concurrent);
    }

    /// <summary>Rounds up to a whole multiple of <paramref name="step"/>; an exact multiple stays.</summary>
    public static TimeSpan RoundUp(TimeSpan value, TimeSpan step)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new DomainException("The window rounding must be above zero.");
        }

        var steps = (value.Ticks + step.Ticks - 1) / step.Ticks;
        return TimeSpan.FromTicks(Math.Max(1, steps) * step.Ticks);
    }

    private static Dictionary<string, VmPlan> PlanNetwork(IReadOnlyList<VmObservation> vms, double b, int slotCount, ForecastSettings settings)
    {
        var plans = new Dictionary<string, VmPlan>(StringComparer.Ordinal);
        var slots = new double[slotCount];
        // Largest first: a big VM started last would leave the other slots idle for its whole copy.
        foreach (var vm in vms.OrderByDescending(v => v.AllocatedBytes).ThenBy(v => v.VmId, StringComparer.Ordinal))
        {
            var slot = EarliestFree(slots);
            var start = slots[slot];
            var end = start + vm.SnapshotDuration.TotalSeconds + (vm.AllocatedBytes / b);
            var firstDelta = Math.Min(DeltaLimit(vm), vm.MeanChangeBytesPerSecond * (end - start));
            var run = RunCycles(vm, b, end, firstDelta, settings);
            slots[slot] = run.ReadyAt;
            plans[vm.VmId] = new VmPlan(start, end, start, run);
        }

        return plans;
    }

    private static SeedRoute? PlanSeedDevice(IReadOnlyList<VmObservation> vms, IReadOnlyList<SeedDeviceModel> catalog, double b, int slotCount, ForecastSettings settings)
    {
        if (catalog.Count == 0)
        {
            return null;
        }

        var total = vms.Sum(v => v.AllocatedBytes);
        var device = catalog.Where(d => d.CapacityBytes >= total).OrderBy(d => d.CapacityBytes).ThenBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault()
            ?? catalog.OrderByDescending(d => d.CapacityBytes).ThenBy(d => d.Name, StringComparer.Ordinal).First();
        var count = (int)Math.Max(1, (total + device.CapacityBytes - 1) / device.CapacityBytes);

        const double Day = 86_400;
        var handlingEnd = device.HandlingDays * Day;
        var loadStart = handlingEnd + device.ShippingDaysEachWay * Day;
        var loadEnd = loadStart + total / device.LoadBytesPerSecond;
        var ingestStart = loadEnd + device.ShippingDaysEachWay * Day;
        var ingestEnd = ingestStart + total / device.IngestBytesPerSecond;

        var plans = new Dictionary<string, VmPlan>(StringComparer.Ordinal);
        var slots = Enumerable.Repeat(ingestEnd, slotCount).ToArray();
        double catchUp = 0;
        foreach (var vm in vms
            .Select(v => (Vm: v, First: Math.Min(DeltaLimit(v), v.MeanChangeBytesPerSecond * (ingestEnd - loadStart))))
            .OrderByDescending(x => x.First).ThenBy(x => x.Vm.VmId, StringComparer.Ordinal))
        {
            catchUp += vm.First;
            var slot = EarliestFree(slots);
            var run = RunCycles(vm.Vm, b, slots[slot], vm.First, settings);
            slots[slot] = run.ReadyAt;
            plans[vm.Vm.VmId] = new VmPlan(loadStart, ingestEnd, loadStart, run);
        }

        var ready = plans.Values.Max(p => p.Run.ReadyAt);
        var plan = new SeedDevicePlan(
            device,
            count,
            Seconds(handlingEnd),
            Seconds(loadStart),
            Seconds(loadEnd),
            Seconds(ingestStart),
            Seconds(ingestEnd),
            (long)Math.Round(catchUp),
            Seconds(ready));
        return new SeedRoute(plan, plans, ready);
    }

    /// <summary>Delta cycles from <paramref name="start"/>: D(k+1) = max(ρ × D(k), r × I) until D(k) ≤ r × I.</summary>
    private static CycleRun RunCycles(VmObservation vm, double b, double start, double firstDelta, ForecastSettings settings)
    {
        var r = vm.MeanChangeBytesPerSecond;
        var rho = r / b;
        var floor = Math.Min(DeltaLimit(vm), r * settings.DeltaCycleInterval.TotalSeconds);
        if (rho >= 1)
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"It changes {DataUnits.Rate(r)} on average but its bandwidth share is {DataUnits.Rate(b)} (ratio {rho:0.##}): delta cycles never catch up, so the cutover copies every change since the baseline snapshot with the VM off.");
            return new CycleRun([], false, rho, firstDelta, start, reason);
        }

        var cycles = new List<CycleSpan>();
        var t = start;
        var delta = firstDelta;
        for (var k = 1; k <= settings.MaxDeltaCycles; k++)
        {
            var end = t + vm.SnapshotDuration.TotalSeconds + (delta / b);
            cycles.Add(new CycleSpan(t, end, delta));
            t = end;
            if (delta <= floor)
            {
                return new CycleRun(cycles, true, rho, floor, t, null);
            }

            delta = Math.Max(rho * delta, floor);
        }

        var slow = string.Create(CultureInfo.InvariantCulture,
            $"It converges too slowly (ratio {rho:0.##}): after {settings.MaxDeltaCycles} delta cycles {DataUnits.Bytes(delta)} are still left to copy; give it more bandwidth (fewer parallel copies, a higher cap).");
        return new CycleRun(cycles, false, rho, delta, t, slow);
    }

    // Longest first, each onto the slot that frees first: the time until every item is done.
    private static double Makespan(IEnumerable<double> durations, int slotCount)
    {
        var slots = new double[slotCount];
        foreach (var d in durations.OrderByDescending(d => d))
        {
            slots[EarliestFree(slots)] += d;
        }

        return slots.Max();
    }

    private static int EarliestFree(double[] slots)
    {
        var best = 0;
        for (var i = 1; i < slots.Length; i++)
        {
            if (slots[i] < slots[best])
            {
                best = i;
            }
        }

        return best;
    }

    // A delta cannot exceed the disks (capacity); when capacity is unknown (0), the allocated bytes stand in.
    private static double DeltaLimit(VmObservation vm) => Math.Max(vm.CapacityBytes, vm.AllocatedBytes);

    // A century is no forecast; beyond it TimeSpan would overflow on absurd input (bytes/s typed as Mbit/s, say).
    private static TimeSpan Seconds(double seconds) => seconds <= MaxHorizon.TotalSeconds
        ? TimeSpan.FromSeconds(seconds)
        : throw new DomainException("The forecast runs past a hundred years: check the sizes and the bandwidth.");

    private static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(36_525);

    private static string MethodReason(SeedDevicePlan? seed, double networkReady, bool useSeed, double advantage)
    {
        var net = Units.Duration(Seconds(networkReady));
        if (seed is null)
        {
            return $"No seed devices are offered: the baseline goes over the network, every VM ready for cutover after {net}.";
        }

        var device = Units.Duration(seed.ReadyForCutover);
        var ratio = networkReady / seed.ReadyForCutover.TotalSeconds;
        var what = string.Create(CultureInfo.InvariantCulture, $"{seed.DeviceCount} × {seed.Device.Name}");
        return useSeed
            ? string.Create(CultureInfo.InvariantCulture,
                $"Ship a seed device ({what}): every VM ready for cutover after {device}, against {net} over the network ({ratio:0.#}× as long; a device is worth it from {advantage:0.#}×). {DataUnits.Bytes(seed.CatchUpBytes)} of changes since the seed snapshot still go over the network after ingest.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Copy over the network: every VM ready for cutover after {net}, against {device} with a seed device ({what}); a device is worth it only when the network takes {advantage:0.#}× as long.");
    }

    private static List<TimelineEntry> Timeline(
        IReadOnlyList<VmObservation> vms,
        Dictionary<string, VmPlan> plans,
        SeedDevicePlan? seed,
        double cutoverStart,
        TimeSpan groupDowntime,
        long groupFinal)
    {
        var entries = new List<TimelineEntry>();
        if (seed is not null)
        {
            var bytes = vms.Sum(v => v.AllocatedBytes);
            entries.Add(new(TimelinePhase.DeviceHandling, null, null, TimeSpan.Zero, seed.HandlingEnd, 0, "Prepare the seed device"));
            entries.Add(new(TimelinePhase.DeviceShipping, null, null, seed.HandlingEnd, seed.LoadStart, 0, "Ship the device to the customer"));
            entries.Add(new(TimelinePhase.DeviceLoad, null, null, seed.LoadStart, seed.LoadEnd, bytes, "Load the seed (snapshot at start)"));
            entries.Add(new(TimelinePhase.DeviceShipping, null, null, seed.LoadEnd, seed.IngestStart, 0, "Ship the device back"));
            entries.Add(new(TimelinePhase.DeviceIngest, null, null, seed.IngestStart, seed.IngestEnd, bytes, "Ingest and verify the seed"));
        }

        foreach (var vm in vms)
        {
            var plan = plans[vm.VmId];
            if (seed is null)
            {
                entries.Add(new(TimelinePhase.Baseline, vm.VmId, null, Seconds(plan.BaselineStart), Seconds(plan.BaselineEnd), vm.AllocatedBytes, $"Baseline {vm.Name}"));
            }

            for (var i = 0; i < plan.Run.Cycles.Count; i++)
            {
                var c = plan.Run.Cycles[i];
                entries.Add(new(TimelinePhase.DeltaCycle, vm.VmId, i + 1, Seconds(c.Start), Seconds(c.End), (long)Math.Round(c.Bytes), string.Create(CultureInfo.InvariantCulture, $"Delta {i + 1} {vm.Name}")));
            }
        }

        var start = Seconds(cutoverStart);
        entries.Add(new(TimelinePhase.Cutover, null, null, start, start + groupDowntime, groupFinal, "Cutover"));
        return [.. entries
            .OrderBy(e => e.Start)
            .ThenBy(e => e.Phase)
            .ThenBy(e => e.VmId, StringComparer.Ordinal)
            .ThenBy(e => e.Cycle)];
    }

    private sealed record VmPlan(double BaselineStart, double BaselineEnd, double SnapshotAt, CycleRun Run);

    private sealed record SeedRoute(SeedDevicePlan Plan, Dictionary<string, VmPlan> Plans, double ReadyAt);
}
