namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>A request as the test server saw it: enough to check what credentials were sent.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Cookie, string Authorization);
