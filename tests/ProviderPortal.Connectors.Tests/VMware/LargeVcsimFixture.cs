using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>A sized model: 2 datacenters, each with 1 standalone host and 2 clusters of 3 hosts, 25 VMs per pool (150 VMs, 14 hosts).</summary>
public sealed class LargeVcsimFixture : VcsimFixture
{
    public const int DatacenterCount = 2;
    public const int StandaloneHostsPerDatacenter = 1;
    public const int ClustersPerDatacenter = 2;
    public const int HostsPerCluster = 3;
    public const int VmsPerPool = 25;

    public LargeVcsimFixture()
        : base("-dc", "2", "-host", "1", "-cluster", "2", "-cluster-host", "3", "-vm", "25")
    {
    }
}
