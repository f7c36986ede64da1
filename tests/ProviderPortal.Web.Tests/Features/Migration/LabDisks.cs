using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Domain.Environments.Connectors;
using ProviderPortal.TestPeers.Disks;
using ProviderPortal.Web.Features.Environments;

namespace ProviderPortal.Web.Tests.Features.Migration;

/// <summary>Reads a tenant's lab the way the source platform would show it: live disks, snapshot disks, VMs.</summary>
internal static class LabDisks
{
    public static string Root(MigrationPortal portal, Guid environmentId) =>
        portal.Services.GetRequiredService<EnvironmentConnections>().LabRoot(environmentId);

    public static ISourceConnector Connector(MigrationPortal portal, Guid environmentId) =>
        new LabConnector(new ConnectionSettings(Domain.Environments.EnvironmentKind.Lab, new Uri("lab://local/"), null, null, null) { LabRoot = Root(portal, environmentId) });

    public static async Task<string> LivePathAsync(MigrationPortal portal, Guid environmentId, string vmId, string diskKey) =>
        await (await LabEnvironment.OpenOrCreateAsync(Root(portal, environmentId))).GetDiskPathAsync(vmId, diskKey, CancellationToken.None);

    public static async Task<SourceVm> VmAsync(MigrationPortal portal, Guid environmentId, string vmId)
    {
        await using var connector = Connector(portal, environmentId);
        return (await connector.GetInventoryAsync(CancellationToken.None)).Single(v => v.Id == vmId);
    }

    /// <summary>The SHA-256 of a snapshot disk's whole content, read through the connector as a worker reads it.</summary>
    public static async Task<string> SnapshotSha256Async(MigrationPortal portal, Guid environmentId, string vmId, string snapshotId, string diskKey)
    {
        await using var connector = Connector(portal, environmentId);
        await using var disk = await connector.OpenSnapshotDiskAsync(vmId, snapshotId, diskKey, CancellationToken.None);
        return await DiskHashes.Sha256Async(disk);
    }
}
