using ProviderPortal.Domain.Workers.Protocol;
using ProviderPortal.Worker.Tasks;

namespace ProviderPortal.Worker.Tests.Tasks;

/// <summary>The portal's commands applied to running tasks: throttles, slots, cancel, a lost connection.</summary>
public sealed class TaskHostTests : IDisposable
{
    private const string Vm = "lab-web-01";
    private const string Disk = "disk-0";
    private const int MiB = LabFolder.MiB;

    // Small ranges and one writer at 256 KiB/s: the 4 MiB copy would take about 16 s, so it runs while the test acts on it.
    private static readonly CopyTuning s_slow = new(RangeSize: 64 * 1024, Workers: 1, CheckpointEverySeconds: 0.05, CheckpointEveryBytes: 64 * 1024);

    private readonly LabFolder _folder = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SetThrottle_TenantCapAndTaskRate_ReachTheRunningCopysThrottles()
    {
        var reports = new RecordingReports();
        var host = Host(reports, slots: 2);
        var task = await SlowTaskAsync();

        await host.AssignAsync(task);
        await reports.FirstProgress.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var taskThrottle = host.TaskThrottle(task.TaskId);
        Assert.NotNull(taskThrottle);
        Assert.Equal(256 * 1024, taskThrottle.BytesPerSecond);

        host.SetThrottle(new ThrottleUpdate(null, 3 * MiB));
        host.SetThrottle(new ThrottleUpdate(task.TaskId, 5 * MiB));
        Assert.Equal(3 * MiB, host.TenantThrottle.BytesPerSecond);
        Assert.Same(taskThrottle, host.TaskThrottle(task.TaskId));
        Assert.Equal(5 * MiB, taskThrottle.BytesPerSecond);

        // Unlimited both: the copy finishes, and it went through exactly these two throttles.
        host.SetThrottle(new ThrottleUpdate(null, null));
        host.SetThrottle(new ThrottleUpdate(task.TaskId, null));
        await reports.Ended.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Single(reports.Of<CompletedReport>());
        var written = Assert.Single(reports.Of<DiskDoneReport>()).BytesWritten;
        Assert.Equal(written, taskThrottle.BytesAdmitted);
        Assert.Equal(written, host.TenantThrottle.BytesAdmitted);
        Assert.Null(host.TaskThrottle(task.TaskId));
    }

    [Fact]
    public async Task Assign_BeyondTheSlots_RefusedRetryableWhileTheFirstRuns()
    {
        var reports = new RecordingReports();
        var host = Host(reports, slots: 1);
        var running = await SlowTaskAsync();
        var extra = running with { TaskId = Guid.NewGuid(), Disks = [running.Disks[0] with { Target = _folder.TargetOf(Vm, "other") }] };

        await host.AssignAsync(running);
        await host.AssignAsync(extra);

        var refused = Assert.Single(reports.Of<FailedReport>());
        Assert.Equal(extra.TaskId, refused.TaskId);
        Assert.True(refused.Retryable);
        Assert.Equal(1, host.RunningCount);
        await host.CancelAllAsync();
    }

    [Fact]
    public async Task Cancel_RunningTask_StopsQuietlyWithoutAReport()
    {
        var reports = new RecordingReports();
        var host = Host(reports, slots: 2);
        var task = await SlowTaskAsync();
        await host.AssignAsync(task);
        await reports.FirstProgress.Task.WaitAsync(TimeSpan.FromSeconds(30));

        host.Cancel(task.TaskId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (host.RunningCount > 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        // A run leaves the table only after its executor returned: whatever it reported is in by now.
        Assert.Empty(reports.Of<FailedReport>());
        Assert.Empty(reports.Of<CompletedReport>());
        Assert.Equal(0, host.RunningCount);
    }

    [Fact]
    public async Task CancelAll_AsOnALostConnection_EveryCopyHasStoppedWhenItReturns()
    {
        var reports = new RecordingReports();
        var host = Host(reports, slots: 2);
        var first = await SlowTaskAsync();
        var second = first with { TaskId = Guid.NewGuid(), VmId = "lab-app-01", VmName = "lab-app-01", Disks = [await _folder.DiskAsync("lab-app-01", Disk)] };
        await host.AssignAsync(first);
        await host.AssignAsync(second);
        await reports.FirstProgress.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await host.CancelAllAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, host.RunningCount);
        Assert.Empty(reports.Of<FailedReport>());
        var target = new FileInfo(_folder.TargetOf(Vm, Disk));
        var length = target.Length;
        var modified = target.LastWriteTimeUtc;
        await Task.Delay(200);
        target.Refresh();
        Assert.Equal(modified, target.LastWriteTimeUtc);
        Assert.Equal(length, target.Length);
    }

    private TaskHost Host(RecordingReports reports, int slots) => new(slots, _folder.Connectors, _folder.Roots, reports, TextWriter.Synchronized(_log));

    private async Task<TaskAssignment> SlowTaskAsync()
    {
        await _folder.OpenAsync();
        return LabFolder.Assignment(Vm, [await _folder.DiskAsync(Vm, Disk)], throttle: 256 * 1024, tuning: s_slow, source: _folder.Settings);
    }
}
