using System.Globalization;

namespace ProviderPortal.Domain.Assessments;

/// <summary>Refuses input the model cannot honestly compute from, with a message for the user.</summary>
internal static class ForecastValidation
{
    public static void Validate(ForecastInput input)
    {
        if (input.Vms is null || input.Vms.Count == 0)
        {
            throw new DomainException("Choose at least one VM to forecast.");
        }

        if (input.Link is null || input.Settings is null || input.SeedDevices is null)
        {
            throw new DomainException("The forecast needs the link, the settings and the device catalog (empty when none).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in input.Vms)
        {
            if (vm is null)
            {
                throw new DomainException("A VM of the list is missing.");
            }

            if (!seen.Add(vm.VmId))
            {
                throw new DomainException($"VM {vm.Name} ({vm.VmId}) is listed twice.");
            }

            Vm(vm);
        }

        Link(input.Link);
        Settings(input.Settings);
        foreach (var device in input.SeedDevices)
        {
            Device(device);
        }
    }

    private static void Vm(VmObservation vm)
    {
        var who = $"VM {vm.Name}";
        Require(vm.AllocatedBytes >= 0 && vm.CapacityBytes >= 0 && vm.LargestDiskBytes >= 0, $"{who}: sizes cannot be negative.");
        Require(vm.MeanChangeBytesPerSecond >= 0 && double.IsFinite(vm.MeanChangeBytesPerSecond), $"{who}: the mean change rate cannot be negative.");
        Require(vm.PeakChangeBytesPerSecond >= 0 && double.IsFinite(vm.PeakChangeBytesPerSecond), $"{who}: the peak change rate cannot be negative.");
        Require(vm.PeakChangeBytesPerSecond >= vm.MeanChangeBytesPerSecond, $"{who}: the peak change rate cannot be below the mean.");
        Require(vm.SnapshotCount >= 0, $"{who}: the snapshot count cannot be negative.");
        Require(vm.Coverage is not null, $"{who}: the sample coverage is missing.");
        Require(vm.Coverage!.SamplesTaken >= 0 && vm.Coverage.SamplesExpected >= 0 && vm.Coverage.ObservedDuration >= TimeSpan.Zero,
            $"{who}: sample counts and the observed time cannot be negative.");
    }

    public static void Link(LinkObservation link)
    {
        Require(link.MeasuredBytesPerSecond is null || (link.MeasuredBytesPerSecond > 0 && double.IsFinite(link.MeasuredBytesPerSecond.Value)),
            "The measured throughput must be above zero, or left out when the link was not measured.");
        Require(link.LatencyMs >= 0 && double.IsFinite(link.LatencyMs), "The link latency cannot be negative.");
        Require(link.LossRatio >= 0 && link.LossRatio < 1, "The link loss must be a fraction from 0 up to (not including) 1.");
        Require(link.SampleCount >= 0, "The link sample count cannot be negative.");
    }

    public static void Settings(ForecastSettings s)
    {
        Require(s.TenantCapBytesPerSecond > 0 && double.IsFinite(s.TenantCapBytesPerSecond), "Set the tenant's bandwidth cap above zero.");
        Require(s.ThrottleBytesPerSecond is null || s.ThrottleBytesPerSecond > 0, "A throttle must be above zero, or left out.");
        Require(s.ParallelCopies >= 1, "Copy at least one VM at a time.");
        Require(s.TcpStreamsPerCopy >= 1, "A copy needs at least one connection.");
        Require(s.ShutdownAllowance >= TimeSpan.Zero && s.BootAllowance >= TimeSpan.Zero, "Shutdown and boot allowances cannot be negative.");
        Require(s.DeltaCycleInterval > TimeSpan.Zero, "The delta-cycle interval must be above zero.");
        Require(s.MaxDeltaCycles >= 1, "Allow at least one delta cycle.");
        Require(s.WindowMargin >= TimeSpan.Zero, "The window margin cannot be negative.");
        Require(s.WindowRounding > TimeSpan.Zero, "The window rounding must be above zero.");
        Require(s.Efficiency > 0 && s.Efficiency <= 1, "The efficiency must be above 0 and at most 1.");
        Require(s.SeedDeviceAdvantage >= 1, "A seed device must be at least as fast as the network to be recommended (advantage ≥ 1).");
    }

    private static void Device(SeedDeviceModel d)
    {
        var who = string.Create(CultureInfo.InvariantCulture, $"Seed device {d?.Name}");
        Require(d is not null, "A seed device of the catalog is missing.");
        Require(d!.CapacityBytes > 0, $"{who}: the capacity must be above zero.");
        Require(d.ShippingDaysEachWay >= 0 && d.HandlingDays >= 0, $"{who}: shipping and handling days cannot be negative.");
        Require(d.LoadBytesPerSecond > 0 && d.IngestBytesPerSecond > 0, $"{who}: load and ingest speeds must be above zero.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new DomainException(message);
        }
    }
}
