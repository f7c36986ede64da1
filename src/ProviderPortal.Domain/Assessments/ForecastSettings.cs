namespace ProviderPortal.Domain.Assessments;

/// <summary>The knobs of a forecast. Rates are bytes per second; defaults are stated on each member.</summary>
public sealed record ForecastSettings
{
    /// <summary>The tenant's bandwidth cap, bytes/s (required, &gt; 0): the copy never goes faster.</summary>
    public required double TenantCapBytesPerSecond { get; init; }

    /// <summary>An extra throttle the tenant set, bytes/s; null for none.</summary>
    public double? ThrottleBytesPerSecond { get; init; }

    /// <summary>VMs copied at the same time (≥ 1); they share the bandwidth equally. Default 2.</summary>
    public int ParallelCopies { get; init; } = 2;

    /// <summary>TCP connections one VM copy opens (the copier opens several, like nbdcopy). Default 4. Only the loss/latency bound uses it.</summary>
    public int TcpStreamsPerCopy { get; init; } = 4;

    /// <summary>Time from "shut down" until the source VM is off (clean, then hard after a timeout). Default 5 min.</summary>
    public TimeSpan ShutdownAllowance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time to boot and check the VM at the destination. Default 10 min.</summary>
    public TimeSpan BootAllowance { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a delta cycle starts once a VM has caught up (the Quartz schedule). Default 15 min.</summary>
    public TimeSpan DeltaCycleInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Delta cycles a VM may run back to back to catch up before it counts as not converging. Default 20.</summary>
    public int MaxDeltaCycles { get; init; } = 20;

    /// <summary>The downtime the customer can accept per VM; null for none. A VM forecast to be down longer gets a warning.</summary>
    public TimeSpan? DowntimeTarget { get; init; }

    /// <summary>Added to the group's downtime for checks and rollback before the window is rounded. Default 30 min.</summary>
    public TimeSpan WindowMargin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Windows are booked in whole multiples of this. Default 15 min.</summary>
    public TimeSpan WindowRounding { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>"Intel", "AMD" or null when the destination's CPU vendor is not known (then no CPU warning).</summary>
    public string? DestinationCpuVendor { get; init; }

    /// <summary>
    /// Share of a measured link's (and the TCP bound's) throughput a long copy keeps for disk data, 0 &lt; e ≤ 1.
    /// Default 0.9: a short probe is optimistic, and retransmits, TLS and NBD framing and per-request gaps cost about
    /// 10 % over hours. Not applied to the cap or the throttle, which the engine enforces on disk bytes exactly.
    /// </summary>
    public double Efficiency { get; init; } = 0.9;

    /// <summary>
    /// A seed device is recommended only when the network needs at least this many times as long to
    /// get every VM ready for cutover. Default 1.5: shipping carries risks the network does not
    /// (courier delays, customs, a damaged device), so a small gain is not worth them.
    /// </summary>
    public double SeedDeviceAdvantage { get; init; } = 1.5;
}
