using System.Reflection;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Connectors.Lab;

/// <summary>
/// The lab as a source environment. The lab folder is opened (and the default lab created when the folder
/// is empty) on the first call, not in the constructor: nothing touches the disk until a method is called.
/// </summary>
public sealed class LabConnector : ISourceConnector
{
    public const string Product = "ProviderPortal lab";

    private readonly string _root;
    private readonly LabOptions _options;
    private readonly TimeProvider? _timeProvider;
    private Task<LabEnvironment>? _lab;

    public LabConnector(ConnectionSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != EnvironmentKind.Lab)
        {
            throw new ConnectorException(ConnectorErrorKind.InvalidRequest, $"The lab connector cannot serve a {settings.Kind} environment.");
        }

        if (string.IsNullOrWhiteSpace(settings.LabRoot))
        {
            throw new ConnectorException(ConnectorErrorKind.InvalidRequest, "A lab environment needs its folder (LabRoot): none was given.");
        }

        _root = settings.LabRoot;
        _options = new LabOptions { LockTimeout = settings.RequestTimeout };
        _timeProvider = timeProvider;
    }

    public EnvironmentKind Kind => EnvironmentKind.Lab;

    public async Task<ServerInfo> TestConnectionAsync(CancellationToken cancellationToken)
    {
        var vms = await (await LabAsync()).GetVmsAsync(cancellationToken);
        var version = typeof(LabConnector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        return new ServerInfo(Product, version, vms.Count);
    }

    public async Task<IReadOnlyList<SourceVm>> GetInventoryAsync(CancellationToken cancellationToken) =>
        await (await LabAsync()).GetVmsAsync(cancellationToken);

    public async Task<SourceSnapshot> CreateSnapshotAsync(string vmId, string name, CancellationToken cancellationToken) =>
        await (await LabAsync()).CreateSnapshotAsync(vmId, name, cancellationToken);

    public async Task RemoveSnapshotAsync(string vmId, string snapshotId, CancellationToken cancellationToken) =>
        await (await LabAsync()).RemoveSnapshotAsync(vmId, snapshotId, cancellationToken);

    public async Task<IReadOnlyList<ByteRange>> GetChangedAreasAsync(string vmId, string snapshotId, string diskKey, string? sinceChangeId, CancellationToken cancellationToken) =>
        await (await LabAsync()).GetChangedAreasAsync(vmId, snapshotId, diskKey, sinceChangeId, cancellationToken);

    public async Task<IBlockDevice> OpenSnapshotDiskAsync(string vmId, string snapshotId, string diskKey, CancellationToken cancellationToken) =>
        await (await LabAsync()).OpenSnapshotDiskAsync(vmId, snapshotId, diskKey, cancellationToken);

    public async Task EnableChangeTrackingAsync(string vmId, CancellationToken cancellationToken) =>
        await (await LabAsync()).SetChangeTrackingAsync(vmId, enabled: true, cancellationToken);

    public async Task ShutdownGuestAsync(string vmId, TimeSpan timeout, CancellationToken cancellationToken) =>
        await (await LabAsync()).ShutdownGuestAsync(vmId, timeout, cancellationToken);

    public async Task PowerOffAsync(string vmId, CancellationToken cancellationToken) =>
        await (await LabAsync()).PowerOffAsync(vmId, cancellationToken);

    public async Task PowerOnAsync(string vmId, CancellationToken cancellationToken) =>
        await (await LabAsync()).PowerOnAsync(vmId, cancellationToken);

    public async Task DeleteVmAsync(string vmId, CancellationToken cancellationToken) =>
        await (await LabAsync()).DeleteVmAsync(vmId, cancellationToken);

    /// <summary>The lab holds no open handle between calls: nothing to release.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Opens once; a failed open (a folder that holds something else) is tried again on the next call.</summary>
    private Task<LabEnvironment> LabAsync()
    {
        var lab = Volatile.Read(ref _lab);
        if (lab is null || lab.IsFaulted || lab.IsCanceled)
        {
            // Two racing first calls may both open: harmless, the lab's lock makes creation happen once.
            lab = LabEnvironment.OpenOrCreateAsync(_root, _options, _timeProvider, CancellationToken.None);
            Volatile.Write(ref _lab, lab);
        }

        return lab;
    }
}
