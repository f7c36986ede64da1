using ProviderPortal.Domain.Plans;
using ProviderPortal.Web.Components.Charts;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// The plan's "replication rate vs. change rate" chart from its succeeded copies. For each delta (or final) copy of a VM:
/// the replication rate is the bytes it copied over its copy time; the change rate is the same bytes (what changed since
/// the VM's previous copy's snapshot) over the time since that previous copy started. Both in bytes per second, at the
/// copy's end; the chart prints them as every rate of the portal (MiB/s). A replication rate that stays above the change rate is what lets the cutover's last copy be small.
/// </summary>
public static class RateChart
{
    public sealed record RatePoint(Guid VmReplicationId, DateTimeOffset At, double ReplicationBytesPerSecond, double ChangeBytesPerSecond);

    /// <summary>One point per delta or final copy that has a previous copy of the same VM to measure the change from.</summary>
    public static IReadOnlyList<RatePoint> Points(IReadOnlyList<FinishedCopy> copies)
    {
        ArgumentNullException.ThrowIfNull(copies);
        var points = new List<RatePoint>();
        foreach (var vm in copies.GroupBy(c => c.VmReplicationId))
        {
            FinishedCopy? previous = null;
            foreach (var copy in vm.OrderBy(c => c.StartedAt))
            {
                var took = (copy.FinishedAt - copy.StartedAt).TotalSeconds;
                if (copy.Kind is ReplicationTaskKind.Delta or ReplicationTaskKind.Final && previous is not null && took > 0)
                {
                    var since = (copy.StartedAt - previous.StartedAt).TotalSeconds;
                    if (since > 0)
                    {
                        points.Add(new RatePoint(vm.Key, copy.FinishedAt, copy.Bytes / took, copy.Bytes / since));
                    }
                }

                // An ingest takes no snapshot: the changes after it are measured from the seed load's snapshot.
                if (copy.Kind != ReplicationTaskKind.SeedIngest)
                {
                    previous = copy;
                }
            }
        }

        return [.. points.OrderBy(p => p.At)];
    }

    public static ChartSpec Spec(IReadOnlyList<FinishedCopy> copies, bool dark = false)
    {
        var points = Points(copies);
        return new ChartSpec
        {
            Kind = ChartKind.Line,
            Height = 280,
            TimeAxis = true,
            Unit = ChartUnit.BytesPerSecond,
            ValueTitle = "per second",
            Dark = dark,
            Series =
            [
                new ChartSeries("Replication rate", [.. points.Select(p => ChartPoint.Timed(p.At, Math.Round(p.ReplicationBytesPerSecond)))], "#1e88e5"),
                new ChartSeries("Change rate", [.. points.Select(p => ChartPoint.Timed(p.At, Math.Round(p.ChangeBytesPerSecond)))], "#fb8c00"),
            ],
        };
    }
}
