using ProviderPortal.Connectors.VMware;
using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>
/// One vcsim peer per test class: the default model, 1 standalone host and a 3-host cluster with 2 VMs each (4 VMs).
/// The guest of <see cref="StubbornVm"/> accepts a shutdown request and ignores it.
/// </summary>
public class VcsimFixture : IAsyncLifetime
{
    public const string StubbornVm = "DC0_H0_VM0";

    private readonly string[] _arguments;
    private VcsimPeer? _peer;

    public VcsimFixture()
        : this("-vm", "2")
    {
    }

    protected VcsimFixture(params string[] model)
    {
        _arguments = [.. model, "-username", "migration@vsphere.local", "-password", "Vcsim-Secret-7", "-ignore-shutdown", StubbornVm];
    }

    public VcsimPeer Peer => _peer ?? throw new InvalidOperationException("The peer has not started.");

    public VCenterConnector Connect(ConnectionSettings? settings = null) => new(settings ?? Peer.Settings());

    public async Task<SourceVm> FindVmAsync(string name)
    {
        await using var connector = Connect();
        return (await connector.GetInventoryAsync(CancellationToken.None)).Single(vm => vm.Name == name);
    }

    public async Task InitializeAsync() => _peer = await VcsimPeer.StartAsync(_arguments);

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
