using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// One logged-in XAPI session on the pool master, over JSON-RPC 2.0 (<c>POST /jsonrpc</c>, positional params,
/// the session ref first). Errors come as <c>{code, message: "ERROR_CODE", data: [params]}</c>.
/// Disposing logs the session out, which also ends any NBD export name it handed out.
/// </summary>
internal sealed class XapiSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _rpc;
    private readonly Uri _endpoint;
    private readonly string? _pin;
    private readonly TimeSpan _timeout;
    private readonly string _where;
    private X509Certificate2? _presented;
    private string? _session;
    private long _nextId;

    private XapiSession(HypervisorAccess access, TimeSpan timeout)
    {
        _endpoint = access.Endpoint;
        _rpc = new Uri(access.Endpoint, "jsonrpc");
        _pin = access.TrustedThumbprint;
        _timeout = timeout;
        _where = $"XAPI {access.Endpoint.Host}:{access.Endpoint.Port}";
        _http = new HttpClient(PinnedHttp.CreateHandler(access.TrustedThumbprint, Remember, useCookies: false))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The session ref, which is a credential: never put it in a message.</summary>
    public string SessionRef => _session ?? throw new InvalidOperationException("The XAPI session is not logged in.");

    public static async Task<XapiSession> LoginAsync(HypervisorAccess access, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!string.Equals(access.Endpoint.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectorException(ConnectorErrorKind.InvalidEndpoint, $"The XAPI endpoint {access.Endpoint.Host} must be an https URL.");
        }

        var session = new XapiSession(access, timeout);
        try
        {
            var result = await session.CallRawAsync("session.login_with_password", [access.UserName, access.Secret, "1.0", "ProviderPortal"], cancellationToken);
            session._session = result?.GetValue<string>()
                ?? throw new ConnectorException(ConnectorErrorKind.Protocol, $"{session._where} logged in without returning a session.");
            return session;
        }
        catch
        {
            session._http.Dispose();
            throw;
        }
    }

    /// <summary>Calls a method with the session ref as the first parameter.</summary>
    public Task<JsonNode?> CallAsync(string method, CancellationToken cancellationToken, params string[] arguments) =>
        CallRawAsync(method, [SessionRef, .. arguments], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await CallRawAsync("session.logout", [_session], limit.Token);
            }
            catch (Exception ex) when (ex is ConnectorException or OperationCanceledException)
            {
                // The session expires on its own; a failed logout must not hide the caller's result.
            }

            _session = null;
        }

        _http.Dispose();
        _presented?.Dispose();
    }

    /// <summary>
    /// The handshake's certificate object is disposed with its connection: a copy is kept for the mismatch message
    /// (earlier copies are left to the GC, since a failure being reported may still read one).
    /// </summary>
    private void Remember(X509Certificate2 certificate) =>
        _presented = X509CertificateLoader.LoadCertificate(certificate.RawData);

    private async Task<JsonNode?> CallRawAsync(string method, string[] arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var parameters = new JsonArray([.. arguments.Select(a => (JsonNode?)JsonValue.Create(a))]);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters, ["id"] = id };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        string text;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _rpc)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw ConnectorFailures.FromStatus(response.StatusCode, _where);
            }

            text = await response.Content.ReadAsStringAsync(limit.Token);
        }
        catch (Exception ex) when (ex is not ConnectorException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw ConnectorFailures.From(ex, _endpoint, _pin, _presented);
        }

        JsonNode? reply;
        try
        {
            reply = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} answered {method} with something that is not JSON-RPC.", ex);
        }

        if (reply?["error"] is JsonObject error)
        {
            throw XapiErrors.Create(method, error["message"]?.ToString() ?? "UNKNOWN_ERROR",
                error["data"] is JsonArray data ? [.. data.Select(d => d?.ToString() ?? "")] : [], _where, _session);
        }

        return reply is JsonObject { } obj && obj.ContainsKey("result")
            ? obj["result"]
            : throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} answered {method} without a result or an error.");
    }
}
