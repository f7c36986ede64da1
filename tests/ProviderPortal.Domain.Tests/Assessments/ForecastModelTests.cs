using ProviderPortal.Domain.Assessments;
using static ProviderPortal.Domain.Tests.Assessments.ForecastGiven;

namespace ProviderPortal.Domain.Tests.Assessments;

public class ForecastModelTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Compute_ChangeRateBelowShare_ConvergesGeometricallyToOneInterval()
    {
        // b = min(200 MB/s measured, 100 MB/s cap) × 1 = 1e8 B/s; 100 GB → T0 = 1e11 / 1e8 = 1000 s.
        // r = 50 MB/s, ρ = 0.5; D1 = r × T0 = 5e10; floor = r × I = 5e7 × 100 = 5e9.
        // Cycles: 5e10 (500 s), 2.5e10 (250 s), 1.25e10 (125 s), 6.25e9 (62.5 s), max(3.125e9, 5e9) = 5e9 (50 s) ≤ floor.
        // Ready = 1000 + 500 + 250 + 125 + 62.5 + 50 = 1987.5 s.
        // Final delta = peak × I = 8e7 × 100 = 8e9 → 80 s; downtime = 300 + 80 + 600 = 980 s.
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps)));

        var vm = Assert.Single(forecast.Vms);
        Assert.True(vm.Convergent);
        Assert.Null(vm.NotConvergentReason);
        Assert.Equal(0.5, vm.ChangeRatio);
        Assert.Equal(S(1000), vm.NetworkCopyDuration);
        Assert.Equal(5, vm.DeltaCycles);
        Assert.Equal(5 * GB, vm.ResidualDeltaBytes);
        Assert.Equal(8 * GB, vm.FinalDeltaBytes);
        Assert.Equal(S(1987.5), vm.ReadyForCutover);
        Assert.Equal(S(980), vm.CutoverDowntime);
        Assert.Equal(S(1000), forecast.NetworkInitialCopy);
        Assert.Equal(S(1987.5), forecast.CutoverStart);
        Assert.Equal(S(980), forecast.GroupDowntime);
        Assert.True(forecast.AllConvergent);
        Assert.Equal(
            [50 * GB, 25 * GB, 12_500_000_000, 6_250_000_000, 5 * GB],
            forecast.Timeline.Where(e => e.Phase == TimelinePhase.DeltaCycle).Select(e => e.Bytes));
    }

    [Fact]
    public void Compute_SnapshotTakesTime_EveryCopyAndTheDowntimeIncludeIt()
    {
        // As above, with a 20 s snapshot before every copy: T0 = 20 + 1000 = 1020 s; D1 = r × 1020 = 5.1e10.
        // Cycles (20 s + delta / b each): 5.1e10 → 530 s, 2.55e10 → 275 s, 1.275e10 → 147.5 s, 6.375e9 → 83.75 s,
        // max(3.1875e9, 5e9) = 5e9 → 70 s; ready = 1020 + 530 + 275 + 147.5 + 83.75 + 70 = 2126.25 s.
        // Downtime = 300 + 20 + 80 + 600 = 1000 s.
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps) with { SnapshotDuration = S(20) }));

        var vm = Assert.Single(forecast.Vms);
        Assert.Equal(S(1020), vm.NetworkCopyDuration);
        Assert.Equal(S(1020), forecast.NetworkInitialCopy);
        Assert.Equal(5, vm.DeltaCycles);
        Assert.Equal(S(2126.25), vm.ReadyForCutover);
        Assert.Equal(S(1000), vm.CutoverDowntime);
        Assert.Equal(S(1000), forecast.GroupDowntime);
    }

    [Fact]
    public void Compute_ChangeRateAboveShare_NotConvergentAndCutoverCopiesAllChangesSinceBaseline()
    {
        // b = 1e8, r = 120 MB/s → ρ = 1.2: no catch-up cycles; ready at the baseline end, 1000 s.
        // Final delta = r × (cutover start 1000 s − snapshot 0 s) = 1.2e11 (below capacity 2e11) → 1200 s.
        // Downtime = 300 + 1200 + 600 = 2100 s.
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 120 * MBps, 150 * MBps)));

        var vm = Assert.Single(forecast.Vms);
        Assert.False(vm.Convergent);
        Assert.Equal(1.2, vm.ChangeRatio, 10);
        Assert.Equal(0, vm.DeltaCycles);
        Assert.Equal(120 * GB, vm.FinalDeltaBytes);
        Assert.Equal(S(2100), vm.CutoverDowntime);
        Assert.Contains("never catch up", vm.NotConvergentReason);
        var warning = Assert.Single(vm.Warnings, w => w.Issue == ReadinessIssue.NotConvergent);
        Assert.Equal(vm.NotConvergentReason, warning.Message);
        Assert.False(forecast.AllConvergent);
    }

    [Fact]
    public void Compute_CycleCapReached_NotConvergentTooSlowly()
    {
        // The convergent VM above with only 2 cycles allowed: 5e10 and 2.5e10 are copied, 1.25e10 is left.
        // Final delta = max(left 1.25e10, peak × I 8e9) = 1.25e10.
        var settings = Settings() with { MaxDeltaCycles = 2 };

        var vm = Assert.Single(ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps), settings)).Vms);

        Assert.False(vm.Convergent);
        Assert.Equal(2, vm.DeltaCycles);
        Assert.Equal(12_500_000_000, vm.FinalDeltaBytes);
        Assert.Contains("too slowly", vm.NotConvergentReason);
    }

    [Fact]
    public void Compute_Messages_SizesAndRatesInBinaryUnitsAsThePortalShowsThem()
    {
        // 120 MB/s is 114.4 MiB/s, the share of 1e8 B/s is 95.4 MiB/s (printed as whole MiB/s); 309.75 GB of catch-up is 288.5 GiB.
        var fast = Assert.Single(ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 120 * MBps, 150 * MBps))).Vms);
        var settings = Settings() with { TenantCapBytesPerSecond = 20 * MBps, DeltaCycleInterval = TimeSpan.FromHours(1) };
        var seeded = ForecastModel.Compute(Input(Vm("vm-a", 50 * TB, 1.25 * MBps, 2 * MBps), settings, null, Catalog()));

        Assert.Contains("It changes 114 MiB/s on average but its bandwidth share is 95 MiB/s", fast.NotConvergentReason);
        Assert.Contains("288.5 GiB of changes since the seed snapshot", seeded.MethodReason);
    }

    [Fact]
    public void Compute_LargeDataSlowLink_SeedDeviceRecommended()
    {
        // 50 TB at b = 20 MB/s (cap). Device: the smallest holding 50 TB is "Large" (100 TB), one of it.
        // Handling 1 d → 86 400 s; ship 2 d → load starts 259 200 s; load 5e13 / 1e9 = 50 000 s → 309 200 s;
        // ship 2 d → ingest starts 482 000 s; ingest 5e13 / 2e9 = 25 000 s → 507 000 s.
        // r = 1.25 MB/s, ρ = 1.25e6 / 2e7 = 1/16; floor = r × 3600 = 4.5e9.
        // First delta = r × (507 000 − 259 200) = 1.25e6 × 247 800 = 3.0975e11 → 15 487.5 s;
        // then 1.9359375e10 → 967.96875 s; then max(1.2099609375e9, 4.5e9) = 4.5e9 → 225 s.
        // Ready = 507 000 + 15 487.5 + 967.96875 + 225 = 523 680.46875 s (≈ 6.1 days).
        // Network: T0 = 5e13 / 2e7 = 2.5e6 s; 3.125e12 (156 250 s), 1.953125e11 (9 765.625 s),
        // 1.220703125e10 (610.3515625 s), then 4.5e9 (225 s) → 2 666 850.9765625 s (≈ 30.9 days) ≥ 1.5 × device.
        var settings = Settings() with { TenantCapBytesPerSecond = 20 * MBps, DeltaCycleInterval = TimeSpan.FromHours(1) };

        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 50 * TB, 1.25 * MBps, 2 * MBps), settings, null, Catalog()));

        Assert.Equal(TransferMethod.SeedDevice, forecast.Method);
        var seed = Assert.IsType<SeedDevicePlan>(forecast.SeedDevice);
        Assert.Equal("Large", seed.Device.Name);
        Assert.Equal(1, seed.DeviceCount);
        Assert.Equal(S(86_400), seed.HandlingEnd);
        Assert.Equal(S(259_200), seed.LoadStart);
        Assert.Equal(S(309_200), seed.LoadEnd);
        Assert.Equal(S(482_000), seed.IngestStart);
        Assert.Equal(S(507_000), seed.IngestEnd);
        Assert.Equal(309_750_000_000, seed.CatchUpBytes);
        Assert.Equal(S(523_680.46875), seed.ReadyForCutover);
        Assert.Equal(S(2_666_850.9765625), forecast.NetworkReadyForCutover);
        Assert.Equal(seed.ReadyForCutover, forecast.CutoverStart);
        Assert.Equal(3, Assert.Single(forecast.Vms).DeltaCycles);
        Assert.Contains("Ship a seed device", forecast.MethodReason);
    }

    [Fact]
    public void Compute_FastLink_NetworkRecommendedOverDevice()
    {
        // 50 TB at 1 GB/s: T0 = 5e4 s (< 14 h) against a device that needs 507 000 s just to be ingested.
        var settings = Settings() with { TenantCapBytesPerSecond = 1000 * MBps };

        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 50 * TB, 1.25 * MBps, 2 * MBps), settings, Link(1000 * MBps), Catalog()));

        Assert.Equal(TransferMethod.Network, forecast.Method);
        Assert.NotNull(forecast.SeedDevice);
        Assert.Contains("Copy over the network", forecast.MethodReason);
        Assert.Contains(forecast.Timeline, e => e.Phase == TimelinePhase.Baseline);
        Assert.DoesNotContain(forecast.Timeline, e => e.Phase == TimelinePhase.DeviceLoad);
    }

    [Fact]
    public void Compute_DataLargerThanAnyDevice_SeveralOfTheLargest()
    {
        // Only 10 TB devices for 45 TB: ⌈45 / 10⌉ = 5 devices.
        var small = Catalog()[1];

        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 45 * TB), Settings() with { TenantCapBytesPerSecond = 20 * MBps }, null, small));

        Assert.Equal(5, forecast.SeedDevice!.DeviceCount);
    }

    [Fact]
    public void Compute_NoCatalog_NetworkWithReason()
    {
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB)));

        Assert.Null(forecast.SeedDevice);
        Assert.Equal(TransferMethod.Network, forecast.Method);
        Assert.Contains("No seed devices", forecast.MethodReason);
    }

    [Fact]
    public void Compute_MeasuredLinkFasterThanCap_LimitedByTenantCap()
    {
        // min(1 GB/s measured × 0.9, 100 MB/s cap) = 1e8: the engine enforces the cap on disk bytes, so it is not derated.
        var settings = Settings() with { Efficiency = 0.9 };

        var bandwidth = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), settings, Link(1000 * MBps))).Bandwidth;

        Assert.Equal(BandwidthLimit.TenantCap, bandwidth.LimitedBy);
        Assert.Equal(100 * MBps, bandwidth.GroupBytesPerSecond, 3);
        Assert.Equal(100 * MBps, bandwidth.PerVmBytesPerSecond, 3);
    }

    [Fact]
    public void Compute_MeasuredLinkJustAboveCap_DeratedLinkLimits()
    {
        // 105 MB/s measured × 0.9 = 94.5 MB/s < 100 MB/s cap: the wire, not the cap, limits.
        var settings = Settings() with { Efficiency = 0.9 };

        var bandwidth = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), settings, Link(105 * MBps))).Bandwidth;

        Assert.Equal(BandwidthLimit.MeasuredLink, bandwidth.LimitedBy);
        Assert.Equal(94.5 * MBps, bandwidth.GroupBytesPerSecond, 3);
    }

    [Fact]
    public void Compute_MeasuredLinkSlowerThanCap_LimitedByLink()
    {
        var bandwidth = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), Settings(), Link(40 * MBps))).Bandwidth;

        Assert.Equal(BandwidthLimit.MeasuredLink, bandwidth.LimitedBy);
        Assert.Equal(40 * MBps, bandwidth.GroupBytesPerSecond);
    }

    [Fact]
    public void Compute_ThrottleBelowCap_LimitedByThrottle()
    {
        var bandwidth = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), Settings() with { ThrottleBytesPerSecond = 30 * MBps })).Bandwidth;

        Assert.Equal(BandwidthLimit.Throttle, bandwidth.LimitedBy);
        Assert.Equal(30 * MBps, bandwidth.GroupBytesPerSecond);
    }

    [Fact]
    public void Compute_LossyLongLink_LimitedByTcpBound()
    {
        // 4 streams × 1460 B × 1.22 / (0.05 s × √0.0001) = 7 124.8 / 0.0005 = 14 249 600 B/s < 100 MB/s.
        var link = new LinkObservation(100 * MBps, 50, 0.0001, 100);

        var bandwidth = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), Settings(), link)).Bandwidth;

        Assert.Equal(BandwidthLimit.LossAndLatency, bandwidth.LimitedBy);
        Assert.Equal(14_249_600, bandwidth.GroupBytesPerSecond, 3);
        Assert.Equal(14_249_600, bandwidth.LossLatencyBoundBytesPerSecond!.Value, 3);
    }

    [Fact]
    public void Compute_ThreeVmsTwoSlots_ShareBandwidthAndScheduleTheThirdAfter()
    {
        // 2 concurrent copies share 1e8 → 5e7 each; 100 GB → 2000 s each.
        // vm-a slot 0 [0, 2000], vm-b slot 1 [0, 2000], vm-c slot 0 [2000, 4000] (no changes: a 0-byte delta each).
        // 4000 s, not total / bandwidth = 3e11 / 1e8 = 3000 s: a copy's share is not raised while a slot idles.
        var vms = new[] { Vm("vm-c", 100 * GB), Vm("vm-a", 100 * GB), Vm("vm-b", 100 * GB) };

        var forecast = ForecastModel.Compute(Input(vms, Settings() with { ParallelCopies = 2 }));

        Assert.Equal(2, forecast.Bandwidth.ConcurrentCopies);
        Assert.Equal(50 * MBps, forecast.Bandwidth.PerVmBytesPerSecond);
        Assert.Equal(S(4000), forecast.NetworkInitialCopy);
        var baselines = forecast.Timeline.Where(e => e.Phase == TimelinePhase.Baseline).ToDictionary(e => e.VmId!, e => (e.Start, e.End));
        Assert.Equal((S(0), S(2000)), baselines["vm-a"]);
        Assert.Equal((S(0), S(2000)), baselines["vm-b"]);
        Assert.Equal((S(2000), S(4000)), baselines["vm-c"]);
        Assert.Equal(["vm-c", "vm-a", "vm-b"], forecast.Vms.Select(v => v.VmId));
    }

    [Fact]
    public void Compute_MoreSlotsThanVms_SharedByTheVmsOnly()
    {
        var forecast = ForecastModel.Compute(Input([Vm("vm-a", GB), Vm("vm-b", GB)], Settings() with { ParallelCopies = 4 }));

        Assert.Equal(2, forecast.Bandwidth.ConcurrentCopies);
        Assert.Equal(50 * MBps, forecast.Bandwidth.PerVmBytesPerSecond);
    }

    [Fact]
    public void Compute_LinkNotMeasured_CapUsedAndConfidenceLowered()
    {
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB), Settings(), LinkObservation.NotMeasured));

        Assert.Equal(BandwidthLimit.TenantCap, forecast.Bandwidth.LimitedBy);
        Assert.Null(forecast.Bandwidth.MeasuredBytesPerSecond);
        Assert.Equal(100 * MBps, forecast.Bandwidth.GroupBytesPerSecond);
        Assert.Equal(4, forecast.Confidence.Level);
        Assert.False(forecast.Confidence.LinkMeasured);
        Assert.Contains(forecast.Confidence.Reasons, r => r.Contains("not measured", StringComparison.Ordinal));
    }

    [Fact]
    public void Compute_TwoVmsOneSlot_TimelineOrderedAndCutoverLast()
    {
        // vm-a (100 GB, r 50 MB/s): baseline [0, 1000], cycles to 1987.5 s (see the convergent case).
        // vm-b (50 GB, r 25 MB/s, ρ 0.25, floor 2.5e9): baseline [1987.5, 2487.5]; cycles 1.25e10 (125 s),
        // max(3.125e9, 2.5e9) = 3.125e9 (31.25 s), max(7.8125e8, 2.5e9) = 2.5e9 (25 s) → ready 2668.75 s.
        // Final deltas 8e9 each = 80 s each, one after another in the one slot: group = 300 + 160 + 600 = 1060 s.
        var vms = new[] { Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps), Vm("vm-b", 50 * GB, 25 * MBps, 80 * MBps) };

        var forecast = ForecastModel.Compute(Input(vms));

        var timeline = forecast.Timeline;
        Assert.Equal(timeline.OrderBy(e => e.Start), timeline);
        Assert.All(timeline, e => Assert.True(e.End >= e.Start));
        foreach (var id in new[] { "vm-a", "vm-b" })
        {
            var bars = timeline.Where(e => e.VmId == id).ToList();
            Assert.Equal(TimelinePhase.Baseline, bars[0].Phase);
            for (var i = 1; i < bars.Count; i++)
            {
                Assert.Equal(TimelinePhase.DeltaCycle, bars[i].Phase);
                Assert.Equal(i, bars[i].Cycle);
                Assert.Equal(bars[i - 1].End, bars[i].Start);
            }
        }

        var cutover = timeline[^1];
        Assert.Equal(TimelinePhase.Cutover, cutover.Phase);
        Assert.Equal(S(2668.75), cutover.Start);
        Assert.Equal(S(2668.75 + 1060), cutover.End);
        Assert.Equal(S(1060), forecast.GroupDowntime);
        Assert.Equal(16 * GB, forecast.GroupFinalDeltaBytes);
        Assert.Equal(S(1987.5), timeline.Single(e => e is { VmId: "vm-b", Phase: TimelinePhase.Baseline }).Start);
    }

    [Fact]
    public void Compute_SeedDevice_TimelineShowsTheDeviceRoundTripBeforeTheCycles()
    {
        var settings = Settings() with { TenantCapBytesPerSecond = 20 * MBps, DeltaCycleInterval = TimeSpan.FromHours(1) };

        var timeline = ForecastModel.Compute(Input(Vm("vm-a", 50 * TB, 1.25 * MBps, 2 * MBps), settings, null, Catalog())).Timeline;

        Assert.Equal(
            [TimelinePhase.DeviceHandling, TimelinePhase.DeviceShipping, TimelinePhase.DeviceLoad, TimelinePhase.DeviceShipping,
             TimelinePhase.DeviceIngest, TimelinePhase.DeltaCycle, TimelinePhase.DeltaCycle, TimelinePhase.DeltaCycle, TimelinePhase.Cutover],
            timeline.Select(e => e.Phase));
        for (var i = 1; i < timeline.Count; i++)
        {
            Assert.Equal(timeline[i - 1].End, timeline[i].Start);
        }
    }

    [Fact]
    public void Compute_DowntimePlusMarginOnTheQuarterHour_WindowNotRoundedFurther()
    {
        // No changes: final delta 0 → downtime 5 + 10 = 15 min; + 30 min margin = 45 min exactly.
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB)));

        Assert.Equal(TimeSpan.FromMinutes(15), forecast.GroupDowntime);
        Assert.Equal(TimeSpan.FromMinutes(45), forecast.WindowLength);
    }

    [Fact]
    public void Compute_DowntimePlusMarginBetweenQuarters_WindowRoundedUp()
    {
        // Convergent case: 980 s + 1800 s = 2780 s = 46 min 20 s → 60 min.
        var forecast = ForecastModel.Compute(Input(Vm("vm-a", 100 * GB, 50 * MBps, 80 * MBps)));

        Assert.Equal(TimeSpan.FromMinutes(60), forecast.WindowLength);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(45 * 60, 45)]
    [InlineData(45 * 60 + 1, 60)]
    [InlineData(59 * 60, 60)]
    public void RoundUp_Seconds_WholeQuarterHoursNeverZero(int seconds, int expectedMinutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), ForecastModel.RoundUp(S(seconds), TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Compute_EmptyVmList_Throws()
    {
        var ex = Assert.Throws<DomainException>(() => ForecastModel.Compute(Input([], Settings())));

        Assert.Equal("Choose at least one VM to forecast.", ex.Message);
    }

    [Fact]
    public void Compute_NegativeSize_Throws()
    {
        var ex = Assert.Throws<DomainException>(() => ForecastModel.Compute(Input(Vm("vm-a", -1))));

        Assert.Equal("VM vm-a: sizes cannot be negative.", ex.Message);
    }

    [Fact]
    public void Compute_ZeroParallelCopies_Throws()
    {
        var ex = Assert.Throws<DomainException>(() => ForecastModel.Compute(Input(Vm("vm-a", GB), Settings() with { ParallelCopies = 0 })));

        Assert.Equal("Copy at least one VM at a time.", ex.Message);
    }

    [Theory]
    [InlineData("cap")]
    [InlineData("peak")]
    [InlineData("loss")]
    [InlineData("duplicate")]
    [InlineData("device")]
    [InlineData("century")]
    public void Compute_OtherInvalidInput_ThrowsDomainException(string what)
    {
        var vm = Vm("vm-a", GB, 2 * MBps, 3 * MBps);
        ForecastInput input = what switch
        {
            "cap" => Input(vm, Settings() with { TenantCapBytesPerSecond = 0 }),
            "peak" => Input(vm with { PeakChangeBytesPerSecond = 1 * MBps }),
            "loss" => Input(vm, null, new LinkObservation(100 * MBps, 10, 1, 10)),
            "duplicate" => Input([vm, vm]),
            "century" => Input(Vm("vm-a", 10 * TB), Settings() with { TenantCapBytesPerSecond = 1 }),
            _ => Input(vm, null, null, new SeedDeviceModel("Broken", 0, 1, 1, 1, 0)),
        };

        Assert.Throws<DomainException>(() => ForecastModel.Compute(input));
    }
}
