using System.Diagnostics;
using ProviderPortal.Connectors.VMware;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>
/// With an NBD location template (as for nbdkit's vddk plugin), snapshot disks are read over NBD, not datastore HTTP.
/// nbdkit's file plugin stands in for vddk: it serves the files of a folder, one export per file name.
/// </summary>
public sealed class VCenterNbdDiskTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("vcenter-nbd-").FullName;
    private Process? _nbdkit;

    private string Socket => Path.Combine(_work, "nbd.sock");

    private string Exports => Path.Combine(_work, "exports");

    [Fact]
    public async Task OpenSnapshotDiskAsync_NbdTemplate_ReadsTheExportNamedByVmSnapshotAndDisk()
    {
        var bytes = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(Exports, "vm-42_snapshot-7_2000"), bytes);
        var settings = new ConnectionSettings(EnvironmentKind.VCenter, new Uri("https://127.0.0.1:1"), "user", "secret", "AB:CD")
        {
            NbdUriTemplate = $"nbd+unix:///{{vm}}_{{snapshot}}_{{disk}}?socket={Socket}",
        };
        await using var connector = new VCenterConnector(settings);

        await using var disk = await connector.OpenSnapshotDiskAsync("vm-42", "snapshot-7", "2000", CancellationToken.None);
        var read = new byte[1024 * 1024];
        await disk.ReadAsync(3 * 1024 * 1024, read, CancellationToken.None);

        Assert.Equal(bytes.Length, disk.Size);
        Assert.True(bytes.AsSpan(3 * 1024 * 1024).SequenceEqual(read));
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Exports);
        var start = new ProcessStartInfo("nbdkit") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "--foreground", "--exit-with-parent", "--readonly", "--unix", Socket, "file", $"dir={Exports}" })
        {
            start.ArgumentList.Add(argument);
        }

        _nbdkit = Process.Start(start) ?? throw new InvalidOperationException("nbdkit did not start (tests/run.sh installs it).");
        for (var waited = 0; !File.Exists(Socket); waited += 20)
        {
            if (waited > 10_000 || _nbdkit.HasExited)
            {
                throw new InvalidOperationException($"nbdkit did not open {Socket}: {await _nbdkit.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        if (_nbdkit is not null)
        {
            _nbdkit.Kill(entireProcessTree: true);
            await _nbdkit.WaitForExitAsync();
            _nbdkit.Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }
}
