using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Connectors.Tests.XenOrchestra;

/// <summary>The Xen Orchestra tests share one server and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class XoCollection : ICollectionFixture<XoFixture>
{
    public const string Name = "XenOrchestra";
}
