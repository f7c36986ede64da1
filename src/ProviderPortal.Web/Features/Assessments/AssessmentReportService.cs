using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// Turns an assessment's samples into the forecast model's input and computes the forecast. Per VM, a round's rate
/// is the unique bytes changed on all its disks over the round's interval; the mean is over the measuring rounds and
/// the peak is their 95th percentile; the allocated bytes are the latest round's. The link is the median of the throughput probes (capped by the tenant's cap),
/// the median latency and the mean loss.
/// </summary>
public sealed class AssessmentReportService(PortalDbContext db, ITenantContext tenant, SeedDeviceCatalog catalog, IConfiguration configuration)
{
    public async Task<AssessmentReport?> BuildAsync(Guid assessmentId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("Assessments belong to a tenant; this user has none.");
        var assessment = await db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assessmentId, cancellationToken);
        if (assessment is null)
        {
            return null;
        }

        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == assessment.EnvironmentId, cancellationToken);
        var owner = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
        var ids = assessment.Vms.Select(v => v.VmId).ToList();
        var inventory = await db.InventoryVms.AsNoTracking()
            .Where(v => v.EnvironmentId == assessment.EnvironmentId && ids.Contains(v.ExternalId))
            .ToDictionaryAsync(v => v.ExternalId, cancellationToken);
        var changes = await db.ChangeSamples.AsNoTracking().Where(s => s.AssessmentId == assessmentId).ToListAsync(cancellationToken);
        var links = await db.LinkSamples.AsNoTracking().Where(s => s.AssessmentId == assessmentId).OrderBy(s => s.At).ToListAsync(cancellationToken);

        var cap = owner.BandwidthCapMbps * 1_000_000d / 8;
        // Grouped once: the live page rebuilds the report every few seconds, over every sample of every VM.
        var byVm = changes.ToLookup(c => c.VmId, StringComparer.Ordinal);
        var observed = assessment.Vms.Select(vm => Observe(vm, inventory.GetValueOrDefault(vm.VmId), byVm[vm.VmId])).ToList();
        var snapshotTimes = assessment.Vms.ToDictionary(v => v.VmId, v => TimeSpan.FromSeconds(v.MeanSnapshotSeconds));
        var throughputs = links.Where(l => l.ThroughputBytesPerSecond is > 0).Select(l => l.ThroughputBytesPerSecond!.Value).Order().ToList();
        var latencies = links.Where(l => l.LatencyMilliseconds is not null).Select(l => l.LatencyMilliseconds!.Value).Order().ToList();
        var losses = links.Where(l => l.LossRatio is not null).Select(l => l.LossRatio!.Value).ToList();
        double? measured = throughputs.Count == 0 ? null : Median(throughputs);
        double? latency = latencies.Count == 0 ? null : Median(latencies);
        double? loss = losses.Count == 0 ? null : losses.Average();

        Forecast? forecast = null;
        string? unavailable = null;
        if (observed.All(o => o.Rounds == 0))
        {
            unavailable = "The forecast appears after the second sample: the first one only starts counting changes.";
        }
        else
        {
            var input = new ForecastInput(
                [.. observed.Select(o => Observation(o, inventory.GetValueOrDefault(o.VmId), assessment) with { SnapshotDuration = snapshotTimes[o.VmId] })],
                new LinkObservation(measured, latency ?? 0, Math.Min(loss ?? 0, 0.99), throughputs.Count),
                Settings(owner.BandwidthCapMbps, owner.MaxConcurrentReplications),
                await catalog.DevicesAsync(cancellationToken));
            try
            {
                forecast = ForecastModel.Compute(input);
            }
            catch (DomainException ex)
            {
                unavailable = ex.Message;
            }
        }

        var rounds = changes.GroupBy(c => c.At).OrderBy(g => g.Key)
            .Select(g => new RatePoint(g.Key, g.Sum(c => c.BytesPerSecond)))
            .ToList();
        var bandwidth = links.Where(l => l.ThroughputBytesPerSecond is > 0)
            .Select(l => new RatePoint(l.At, Math.Min(l.ThroughputBytesPerSecond!.Value, cap)))
            .ToList();

        return new AssessmentReport
        {
            Assessment = new AssessmentRow(assessment.Id, assessment.Name, assessment.EnvironmentId, environment?.Name ?? "(removed)", assessment.Status,
                assessment.StartedAt, assessment.EndsAt, assessment.EndedAt, assessment.Vms.Count, assessment.SamplesTaken, assessment.ExpectedSamples, assessment.LastError),
            IsLab = environment?.Kind == EnvironmentKind.Lab,
            Forecast = forecast,
            ForecastUnavailable = unavailable,
            Vms = observed,
            ChangeRate = rounds,
            AvailableBandwidth = bandwidth,
            MeasuredBytesPerSecond = measured,
            LatencyMilliseconds = latency,
            LossRatio = loss,
            TenantCapBytesPerSecond = cap,
        };
    }

    private ForecastSettings Settings(int capMbps, int parallel) => new()
    {
        TenantCapBytesPerSecond = capMbps * 1_000_000d / 8,
        ParallelCopies = Math.Max(1, parallel),
        ShutdownAllowance = TimeSpan.FromMinutes(configuration.GetValue("Assessments:ShutdownAllowanceMinutes", 5d)),
        BootAllowance = TimeSpan.FromMinutes(configuration.GetValue("Assessments:BootAllowanceMinutes", 10d)),
        DeltaCycleInterval = TimeSpan.FromMinutes(configuration.GetValue("Assessments:DeltaCycleMinutes", 15d)),
        DestinationCpuVendor = configuration["Assessments:DestinationCpuVendor"] is { Length: > 0 } vendor ? vendor : null,
    };

    private static ObservedVm Observe(AssessmentVm vm, InventoryVm? row, IEnumerable<ChangeSample> samples)
    {
        var rates = samples
            .GroupBy(c => c.At)
            .Select(g => g.Sum(c => c.ChangedBytes) / Math.Max(1e-9, g.Max(c => c.IntervalSeconds)))
            .Order()
            .ToList();
        var mean = rates.Count == 0 ? 0 : rates.Average();
        var peak = rates.Count == 0 ? 0 : rates[Math.Clamp((int)Math.Ceiling(0.95 * rates.Count) - 1, 0, rates.Count - 1)];

        // The latest round's allocated bytes per disk (the disks grow while observed); the inventory's before any round.
        var latest = samples.GroupBy(c => c.DiskKey).Select(g => g.MaxBy(c => c.At)!.AllocatedBytes).ToList();
        var allocated = latest.Count > 0 ? latest.Sum() : row?.AllocatedBytes ?? row?.CapacityBytes ?? 0;
        return new ObservedVm(vm.VmId, vm.Name, allocated, mean, Math.Max(mean, peak), rates.Count, vm.LastError);
    }

    private static VmObservation Observation(ObservedVm vm, InventoryVm? row, Assessment assessment) => new()
    {
        VmId = vm.VmId,
        Name = vm.Name,
        AllocatedBytes = vm.AllocatedBytes,
        CapacityBytes = row?.CapacityBytes ?? vm.AllocatedBytes,
        LargestDiskBytes = row is null || row.Disks.Count == 0 ? vm.AllocatedBytes : row.Disks.Max(d => d.CapacityBytes),
        MeanChangeBytesPerSecond = vm.MeanBytesPerSecond,
        PeakChangeBytesPerSecond = vm.PeakBytesPerSecond,
        ChangeTracking = row?.ChangeTracking ?? Domain.Environments.Connectors.ChangeTrackingState.Unknown,
        GuestTools = row?.ToolsState ?? Domain.Environments.Connectors.GuestToolsState.Unknown,

        // The observation's own snapshot is not the customer's.
        SnapshotCount = row is null ? 0 : row.Snapshots.Count(s => !s.Name.StartsWith("providerportal-assessment-", StringComparison.Ordinal)),
        CpuVendor = row?.CpuVendor,
        HasIndependentDisks = row?.Disks.Any(d => d.Independent) == true,
        HasRawMappedDisks = row?.Disks.Any(d => d.RawMapped) == true,
        Coverage = new SampleCoverage(vm.Rounds, Math.Max(1, assessment.ExpectedSamples - 1), vm.Rounds * assessment.SampleInterval),
    };

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
