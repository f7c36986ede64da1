using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>
/// One sampling round of an assessment. Per VM: a new snapshot, the changed areas of each disk since the previous
/// snapshot's change id (unique changed bytes, as the copy will see them), then the previous snapshot is removed, so
/// each VM carries at most one observation snapshot. Then the data path: a timed, bounded read of a snapshot disk
/// through the replication engine's device, and TCP probes to the endpoint for latency and loss.
/// </summary>
public sealed class AssessmentSampler(PortalDbContext db, IConfiguration configuration, TimeProvider clock, ILogger<AssessmentSampler> logger)
{
    private const int ProbeCount = 5;

    private long ProbeBytes => Math.Max(1, configuration.GetValue("Assessments:ThroughputProbeMiB", 64)) * 1024L * 1024;

    private TimeSpan ProbeTime => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Assessments:ThroughputProbeSeconds", 5)));

    /// <summary>Takes one round and records it on the assessment (not saved: the caller saves).</summary>
    public async Task SampleAsync(Assessment assessment, SourceEnvironment environment, ISourceConnector connector, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var interval = assessment.LastSampleAt is { } last ? now - last : assessment.SampleInterval;
        Dictionary<(string VmId, string DiskKey), long>? inventory = null;
        var updated = new List<AssessmentVm>();
        var errors = new List<string>();
        (string VmId, string SnapshotId, string DiskKey)? probeDisk = null;
        foreach (var vm in assessment.Vms)
        {
            try
            {
                var taking = Stopwatch.StartNew();
                var snapshot = await connector.CreateSnapshotAsync(vm.VmId, $"providerportal-assessment-{assessment.Id:N}", cancellationToken);
                var taken = taking.Elapsed;
                if (vm.SnapshotId is not null)
                {
                    foreach (var disk in snapshot.Disks)
                    {
                        if (vm.ChangeIds.GetValueOrDefault(disk.DiskKey) is not { } since)
                        {
                            continue;
                        }

                        var changed = await ChangedBytesAsync(connector, vm.VmId, snapshot.Id, disk.DiskKey, since, cancellationToken);
                        if (changed is { } bytes)
                        {
                            // Allocated bytes as of this snapshot (what a baseline now would copy): a disk grows while it is observed.
                            var inUse = await AllocatedNowAsync(connector, vm.VmId, snapshot.Id, disk.DiskKey, cancellationToken);
                            if (inUse is null)
                            {
                                // The platform cannot say: the last inventory's figure, read once per round.
                                inventory ??= await AllocatedBytesAsync(assessment, cancellationToken);
                                inUse = inventory.GetValueOrDefault((vm.VmId, disk.DiskKey));
                            }

                            db.ChangeSamples.Add(ChangeSample.Record(assessment.Id, vm.VmId, disk.DiskKey, now, interval, bytes, inUse.Value));
                        }
                    }

                    await RemoveQuietlyAsync(connector, vm.VmId, vm.SnapshotId, cancellationToken);
                }

                probeDisk ??= snapshot.Disks.Count > 0 ? (vm.VmId, snapshot.Id, snapshot.Disks[0].DiskKey) : null;
                updated.Add(vm.WithSnapshotTime(taken) with { SnapshotId = snapshot.Id, ChangeIds = snapshot.Disks.ToDictionary(d => d.DiskKey, d => d.ChangeId), LastError = null });
            }
            catch (ConnectorException ex)
            {
                errors.Add($"{vm.Name}: {ex.Message}");
                updated.Add(vm with { LastError = ex.Message });
            }
        }

        var throughput = probeDisk is { } probe ? await ProbeThroughputAsync(connector, probe, cancellationToken) : null;
        var (latency, loss) = environment.Endpoint is { } endpoint ? await ProbeLatencyAsync(new Uri(endpoint), cancellationToken) : (null, null);
        db.LinkSamples.Add(LinkSample.Record(assessment.Id, now, throughput, latency, loss));
        assessment.RecordSample(updated, errors.Count == 0 ? null : string.Join(" ", errors), now);
    }

    /// <summary>After the observation: removes the snapshot it holds on each VM. Nothing else on the VMs is touched.</summary>
    public async Task ReleaseAsync(Assessment assessment, ISourceConnector connector, CancellationToken cancellationToken)
    {
        foreach (var vm in assessment.Vms.Where(v => v.SnapshotId is not null))
        {
            await RemoveQuietlyAsync(connector, vm.VmId, vm.SnapshotId!, cancellationToken);
        }

        assessment.ForgetSnapshots();
    }

    private async Task<Dictionary<(string VmId, string DiskKey), long>> AllocatedBytesAsync(Assessment assessment, CancellationToken cancellationToken)
    {
        var ids = assessment.Vms.Select(v => v.VmId).ToList();
        var rows = await db.InventoryVms.AsNoTracking()
            .Where(v => v.EnvironmentId == assessment.EnvironmentId && ids.Contains(v.ExternalId))
            .ToListAsync(cancellationToken);
        return rows.SelectMany(v => v.Disks.Select(d => (Key: (v.ExternalId, d.Key), Bytes: d.AllocatedBytes ?? d.CapacityBytes)))
            .ToDictionary(x => x.Key, x => x.Bytes);
    }

    private async Task<long?> ChangedBytesAsync(ISourceConnector connector, string vmId, string snapshotId, string diskKey, string since, CancellationToken cancellationToken)
    {
        try
        {
            var areas = await connector.GetChangedAreasAsync(vmId, snapshotId, diskKey, since, cancellationToken);
            return areas.Sum(a => a.Length);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.ChangeTrackingReset)
        {
            // Tracking restarted on the platform: this interval cannot be measured; the next one can.
            return null;
        }
    }

    private static async Task<long?> AllocatedNowAsync(ISourceConnector connector, string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken)
    {
        try
        {
            return (await connector.GetChangedAreasAsync(vmId, snapshotId, diskKey, null, cancellationToken)).Sum(a => a.Length);
        }
        catch (ConnectorException ex) when (ex.Kind is ConnectorErrorKind.NotSupported or ConnectorErrorKind.ChangeTrackingReset)
        {
            return null;
        }
    }

    private async Task<double?> ProbeThroughputAsync(ISourceConnector connector, (string VmId, string SnapshotId, string DiskKey) probe, CancellationToken cancellationToken)
    {
        try
        {
            await using var disk = await connector.OpenSnapshotDiskAsync(probe.VmId, probe.SnapshotId, probe.DiskKey, cancellationToken);
            var limit = Math.Min(disk.Size, ProbeBytes);
            var requestSize = Math.Clamp(disk.PreferredRequestSize, 64 * 1024, 1024 * 1024);
            var next = 0L;
            var read = 0L;
            var clock = Stopwatch.StartNew();
            async Task ReadLoopAsync()
            {
                var buffer = new byte[requestSize];
                while (clock.Elapsed < ProbeTime)
                {
                    var offset = Interlocked.Add(ref next, requestSize) - requestSize;
                    if (offset >= limit)
                    {
                        return;
                    }

                    var length = (int)Math.Min(requestSize, limit - offset);
                    await disk.ReadAsync(offset, buffer.AsMemory(0, length), cancellationToken);
                    Interlocked.Add(ref read, length);
                }
            }

            // A few reads in flight, as the copier keeps them: one request at a time would measure latency instead.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReadLoopAsync()));
            return read / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        }
        catch (Exception ex) when (ex is ConnectorException or Replication.Devices.BlockDeviceException or IOException)
        {
            logger.LogWarning("The throughput probe of VM {VmId} failed: {Message}", probe.VmId, ex.Message);
            return null;
        }
    }

    private static async Task<(double? LatencyMilliseconds, double? LossRatio)> ProbeLatencyAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < ProbeCount; i++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(2));
            var watch = Stopwatch.StartNew();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(endpoint.Host, endpoint.Port, limit.Token);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // A probe that fails counts as loss.
            }
        }

        return (times.Count == 0 ? null : times.Order().ElementAt(times.Count / 2), 1 - ((double)times.Count / ProbeCount));
    }

    private async Task RemoveQuietlyAsync(ISourceConnector connector, string vmId, string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            await connector.RemoveSnapshotAsync(vmId, snapshotId, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.NotFound)
        {
            // Already gone (removed by someone on the platform): nothing left to clean.
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("The observation snapshot {SnapshotId} of VM {VmId} could not be removed: {Message}", snapshotId, vmId, ex.Message);
        }
    }
}
