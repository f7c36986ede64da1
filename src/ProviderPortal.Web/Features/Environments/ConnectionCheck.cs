using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>What the register dialog's test step found.</summary>
public sealed record ConnectionCheck
{
    /// <summary>The server's certificate; set when the endpoint answered TLS, trusted or not.</summary>
    public CertificateInfo? Certificate { get; init; }

    /// <summary>True when the certificate must be trusted (or trusted again) before the test can log in.</summary>
    public bool NeedsTrust { get; init; }

    /// <summary>Xen Orchestra with a pool master: the pool master's certificate, trusted on its own.</summary>
    public CertificateInfo? HypervisorCertificate { get; init; }

    public bool HypervisorNeedsTrust { get; init; }

    /// <summary>Set when the login and the read succeeded with the trusted certificate.</summary>
    public ServerInfo? Server { get; init; }

    public ConnectorErrorKind? ErrorKind { get; init; }

    /// <summary>The problem in plain words, keyed by form field ("" for the whole form).</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public bool Passed => Server is not null && Errors.Count == 0;
}
