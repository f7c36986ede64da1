using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.VMware;

/// <summary>
/// vim25 over SOAP: one pinned HttpClient whose cookie jar holds the vmware_soap_session cookie, a lazy login,
/// and one re-login and replay when the server says the session is gone (idle expiry).
/// </summary>
internal sealed class VimSoapClient : IAsyncDisposable
{
    private static readonly ManagedObject ServiceInstance = new("ServiceInstance", "ServiceInstance");

    private readonly ConnectionSettings _settings;
    private readonly HttpClient _http;
    private readonly Uri _sdk;
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private X509Certificate2? _presented;
    private ServiceContent? _content;
    private string _soapAction = "urn:vim25/6.5";
    private int _generation;

    public VimSoapClient(ConnectionSettings settings)
    {
        _settings = settings;
        if (!string.Equals(settings.Endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectorException(ConnectorErrorKind.InvalidEndpoint, $"{settings.Endpoint} is not an https address: vCenter is reached over https only.");
        }

        // The TLS stack disposes the certificate it hands to the callback: keep a copy to report a mismatch.
        var handler = PinnedHttp.CreateHandler(settings.TrustedThumbprint, cert => Volatile.Write(ref _presented, X509CertificateLoader.LoadCertificate(cert.RawData)));
        handler.MaxConnectionsPerServer = 64;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _sdk = new Uri(settings.Endpoint, "/sdk");
        Where = $"{settings.Endpoint.Host}:{settings.Endpoint.Port}";
    }

    /// <summary>host:port, for messages.</summary>
    public string Where { get; }

    /// <summary>The pinned client that carries the session cookie, for datastore file reads.</summary>
    public HttpClient Http => _http;

    public Uri Endpoint => _settings.Endpoint;

    public TimeSpan RequestTimeout => _settings.RequestTimeout;

    public int Generation => Volatile.Read(ref _generation);

    public async Task<ServiceContent> GetContentAsync(CancellationToken cancellationToken)
    {
        if (_content is { } known)
        {
            return known;
        }

        var response = await SendAsync("RetrieveServiceContent", ServiceInstance, [], cancellationToken);
        var content = ServiceContent.Read(response.Element(Vim.Ns + "returnval") ?? throw Vim.Malformed("RetrieveServiceContent without returnval"));
        if (!string.IsNullOrWhiteSpace(content.ApiVersion))
        {
            _soapAction = $"urn:vim25/{content.ApiVersion}";
        }

        _content = content;
        return content;
    }

    /// <summary>Calls a method with a live session; a NotAuthenticated answer logs in again and replays the call once.</summary>
    public async Task<XElement> InvokeAsync(string method, ManagedObject target, IEnumerable<XElement> arguments, CancellationToken cancellationToken)
    {
        var args = arguments.ToList();
        var generation = await EnsureLoggedInAsync(cancellationToken);
        try
        {
            return await SendAsync(method, target, args, cancellationToken);
        }
        catch (VimFaultException fault) when (fault.IsNotAuthenticated)
        {
            await ReloginAsync(generation, cancellationToken);
            return await SendAsync(method, target, args, cancellationToken);
        }
    }

    /// <summary>Logs in again unless another caller already did since <paramref name="failedGeneration"/>.</summary>
    public async Task ReloginAsync(int failedGeneration, CancellationToken cancellationToken)
    {
        await _loginLock.WaitAsync(cancellationToken);
        try
        {
            if (_generation == failedGeneration)
            {
                await LoginCoreAsync(cancellationToken);
            }
        }
        finally
        {
            _loginLock.Release();
        }
    }

    public async Task<int> EnsureLoggedInAsync(CancellationToken cancellationToken)
    {
        var generation = Volatile.Read(ref _generation);
        if (generation > 0)
        {
            return generation;
        }

        await _loginLock.WaitAsync(cancellationToken);
        try
        {
            if (_generation == 0)
            {
                await LoginCoreAsync(cancellationToken);
            }

            return _generation;
        }
        finally
        {
            _loginLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_generation > 0 && _content is { } content)
        {
            // Best effort: a session left behind expires on its own.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await SendAsync("Logout", content.SessionManager, [], limit.Token);
            }
            catch (Exception ex) when (ex is ConnectorException or VimFaultException or OperationCanceledException)
            {
            }
        }

        _http.Dispose();
        _loginLock.Dispose();
    }

    private async Task LoginCoreAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_settings.UserName) || string.IsNullOrEmpty(_settings.Secret))
        {
            throw new ConnectorException(ConnectorErrorKind.BadCredentials, $"No user name or password is set for vCenter {Where}.");
        }

        var content = await GetContentAsync(cancellationToken);
        try
        {
            await SendAsync("Login", content.SessionManager, [Vim.El("userName", _settings.UserName), Vim.El("password", _settings.Secret)], cancellationToken);
        }
        catch (VimFaultException fault)
        {
            throw VimFaults.ToConnectorException(fault, Where, "log in");
        }

        Volatile.Write(ref _generation, _generation + 1);
    }

    /// <summary>One SOAP round trip. Returns the method's response element; a fault throws <see cref="VimFaultException"/>.</summary>
    private async Task<XElement> SendAsync(string method, ManagedObject target, IReadOnlyList<XElement> arguments, CancellationToken cancellationToken)
    {
        var envelope = new XElement(
            Vim.Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soapenv", Vim.Soap),
            new XAttribute(XNamespace.Xmlns + "xsi", Vim.Xsi),
            new XElement(Vim.Soap + "Body", new XElement(Vim.Ns + method, target.ToElement("_this"), arguments)));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_settings.RequestTimeout);
        XDocument document;
        HttpStatusCode status;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _sdk)
            {
                Content = new StringContent(envelope.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml"),
            };
            request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{_soapAction}\"");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/xml"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK && status != HttpStatusCode.InternalServerError)
            {
                throw ConnectorFailures.FromStatus(status, Where);
            }

            await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
            document = await XDocument.LoadAsync(body, LoadOptions.None, limit.Token);
        }
        catch (XmlException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, $"{Where} answered {method} with something that is not SOAP XML: is it a vCenter?", ex);
        }
        catch (Exception ex) when (ex is not ConnectorException && !cancellationToken.IsCancellationRequested)
        {
            throw ConnectorFailures.From(ex, _settings.Endpoint, _settings.TrustedThumbprint, Volatile.Read(ref _presented));
        }

        var bodyElement = document.Root?.Element(Vim.Soap + "Body")
            ?? throw new ConnectorException(ConnectorErrorKind.Protocol, $"{Where} answered {method} without a SOAP body: is it a vCenter?");
        if (bodyElement.Element(Vim.Soap + "Fault") is { } fault)
        {
            throw Vim.ReadSoapFault(fault);
        }

        if (status != HttpStatusCode.OK)
        {
            throw ConnectorFailures.FromStatus(status, Where);
        }

        var result = bodyElement.Elements().FirstOrDefault()
            ?? throw new ConnectorException(ConnectorErrorKind.Protocol, $"{Where} answered {method} with an empty SOAP body.");

        // A property read without a live session comes back as objects whose values are all missing with NotAuthenticated.
        var notAuthenticated = result.Descendants(Vim.Ns + "missingSet")
            .Select(m => m.Element(Vim.Ns + "fault"))
            .FirstOrDefault(f => f is not null && Vim.TypeOf(f.Element(Vim.Ns + "fault") ?? f) == "NotAuthenticated");
        if (notAuthenticated is not null)
        {
            throw Vim.ReadLocalizedFault(notAuthenticated);
        }

        return result;
    }
}
