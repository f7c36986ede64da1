using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.XenOrchestra;

/// <summary>
/// The XO REST API (<c>/rest/v0</c>) over the pinned certificate. The token travels only as the
/// <c>authenticationToken</c> cookie: XO refuses a request that also carries Basic (400), and has no header token.
/// </summary>
internal sealed class XoRestClient : IDisposable
{
    private const int MaxRedirects = 3;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly Uri _api;
    private readonly string _token;
    private readonly string? _pin;
    private readonly TimeSpan _requestTimeout;
    private readonly string _where;
    private X509Certificate2? _presented;

    public XoRestClient(Uri endpoint, string token, string? trustedThumbprint, TimeSpan requestTimeout)
    {
        _endpoint = endpoint;
        _api = new Uri(endpoint, "rest/v0/");
        _token = token;
        _pin = trustedThumbprint;
        _requestTimeout = requestTimeout;
        _where = $"{endpoint.Host}:{endpoint.Port}";

        // Cookies are set by hand: a cookie container would also keep whatever the server sets and resend it.
        var handler = PinnedHttp.CreateHandler(trustedThumbprint, Remember, useCookies: false);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>GET of one object or an array, as JSON.</summary>
    public async Task<JsonNode?> GetJsonAsync(string relative, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, new Uri(_api, relative), null, _requestTimeout, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return Parse(text, relative);
    }

    /// <summary>
    /// A whole collection with the given fields, read as NDJSON (one object a line) so a large estate is
    /// never one huge JSON array in memory; XO has no paging to do it otherwise.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> GetCollectionAsync(string collection, string fields, string? filter, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(collection).Append("?fields=").Append(Uri.EscapeDataString(fields)).Append("&ndjson=true");
        if (filter is not null)
        {
            query.Append("&filter=").Append(Uri.EscapeDataString(filter));
        }

        var relative = query.ToString();
        using var response = await SendAsync(HttpMethod.Get, new Uri(_api, relative), null, _requestTimeout, cancellationToken);
        var items = new List<JsonObject>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (Parse(line, collection) is JsonObject item)
            {
                items.Add(item);
            }
            else
            {
                throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} sent a line of {collection} that is not a JSON object.");
            }
        }

        return items;
    }

    /// <summary>How many objects a collection holds: without fields XO answers a list of hrefs, the cheapest listing.</summary>
    public async Task<int> CountAsync(string collection, CancellationToken cancellationToken) =>
        await GetJsonAsync(collection, cancellationToken) is JsonArray hrefs
            ? hrefs.Count
            : throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} did not answer a list for {collection}.");

    /// <summary>
    /// Starts a VM action and waits for its task: XO answers 202 with <c>Location: /rest/v0/tasks/ID</c>, which
    /// is polled with <c>?wait=true</c> until it is no longer pending. Returns the task's result.
    /// </summary>
    public async Task<JsonNode?> RunActionAsync(string vmId, string action, JsonObject? body, TimeSpan taskTimeout, CancellationToken cancellationToken)
    {
        var uri = new Uri(_api, $"vms/{Uri.EscapeDataString(vmId)}/actions/{action}");
        string? location;
        string? taskId = null;
        using (var response = await SendAsync(HttpMethod.Post, uri, body ?? new JsonObject(), _requestTimeout, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} answered HTTP {(int)response.StatusCode} to the {action} action instead of 202 with a task.");
            }

            location = response.Headers.Location?.ToString();
            if (Parse(await response.Content.ReadAsStringAsync(cancellationToken), action) is JsonObject accepted)
            {
                taskId = accepted["taskId"]?.GetValue<string>();
            }
        }

        var taskUri = location is not null ? new Uri(_endpoint, location) : taskId is not null ? new Uri(_api, $"tasks/{Uri.EscapeDataString(taskId)}") : null;
        if (taskUri is null || !SameOrigin(taskUri))
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} accepted the {action} action without naming a task on this server.");
        }

        return await WaitForTaskAsync(taskUri, action, taskTimeout, cancellationToken);
    }

    public async Task DeleteAsync(string relative, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, new Uri(_api, relative), null, _requestTimeout, cancellationToken);
    }

    /// <summary>
    /// Starts a download. The response is returned unread (the caller streams and disposes it); only the
    /// headers are bounded by the request timeout.
    /// </summary>
    public Task<HttpResponseMessage> OpenDownloadAsync(string relative, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, new Uri(_api, relative), null, _requestTimeout, cancellationToken, HttpCompletionOption.ResponseHeadersRead);

    /// <summary>
    /// The handshake's certificate object is disposed with its connection: a copy is kept for the mismatch message
    /// (earlier copies are left to the GC, since a failure being reported may still read one).
    /// </summary>
    private void Remember(X509Certificate2 certificate) =>
        _presented = X509CertificateLoader.LoadCertificate(certificate.RawData);

    public void Dispose()
    {
        _http.Dispose();
        _presented?.Dispose();
    }

    private async Task<JsonNode?> WaitForTaskAsync(Uri taskUri, string action, TimeSpan taskTimeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + taskTimeout;
        var waitUri = new UriBuilder(taskUri) { Query = "wait=true" }.Uri;
        try
        {
            while (true)
            {
                // ?wait=true holds the request until the task ends, so this request may take as long as the task.
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new ConnectorException(ConnectorErrorKind.Timeout, "The task's time is up.");
                }

                var asked = DateTime.UtcNow;
                using var response = await SendAsync(HttpMethod.Get, waitUri, null, remaining, cancellationToken);
                if (Parse(await response.Content.ReadAsStringAsync(cancellationToken), "task") is not JsonObject task)
                {
                    throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} answered the task of the {action} action with something that is not a task.");
                }

                var status = task["status"]?.GetValue<string>();
                switch (status)
                {
                    case "success":
                        return task["result"];
                    case "failure":
                    case "interrupted":
                        var message = Scrub(task["result"]?["message"]?.GetValue<string>() ?? $"the task ended as {status}");
                        throw new ConnectorException(KindOfTaskFailure(message), $"The {action} action failed on {_where}: {message}");
                    case "pending":
                        // A wait that ended early (a proxy's limit, an older XO ignoring ?wait): pause before asking again.
                        if (DateTime.UtcNow - asked < TimeSpan.FromSeconds(1))
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                        }

                        continue;
                    default:
                        throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} reported the task of the {action} action with an unknown status '{status}'.");
                }
            }
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.Timeout && !cancellationToken.IsCancellationRequested)
        {
            throw new ConnectorException(ConnectorErrorKind.Timeout, $"The {action} action did not finish on {_where} within {taskTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", ex);
        }
    }

    private static ConnectorErrorKind KindOfTaskFailure(string message) =>
        message.Contains("VM_BAD_POWER_STATE", StringComparison.OrdinalIgnoreCase) || message.Contains("incorrect state", StringComparison.OrdinalIgnoreCase)
            ? ConnectorErrorKind.Conflict
            : ConnectorErrorKind.ServerError;

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, JsonObject? body, TimeSpan timeout, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(timeout);
        }

        var target = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, target);
            request.Headers.Add("Cookie", $"authenticationToken={_token}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, limit.Token);
            }
            catch (Exception ex) when (ex is not ConnectorException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // Only the request's own deadline lands here as a cancellation: the caller's propagates as is.
                throw ConnectorFailures.From(ex, _endpoint, _pin, _presented);
            }

            // XO answers /users/me with 307 to /users/<id>: followed here, by hand and only on this server,
            // because an automatic redirect may drop or leak the credential.
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } next && method == HttpMethod.Get)
            {
                response.Dispose();
                target = new Uri(target, next);
                if (!SameOrigin(target) || hop >= MaxRedirects)
                {
                    throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} redirected to another server or in a loop; the token is not sent there.");
                }

                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                using (response)
                {
                    throw await ErrorAsync(response, limit.Token);
                }
            }

            return response;
        }
    }

    private async Task<ConnectorException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            error = (JsonNode.Parse(text) as JsonObject)?["error"]?.ToString();
        }
        catch (JsonException)
        {
            // Not XO's error body (a proxy page, say): the status alone says what happened.
        }

        var kind = ConnectorFailures.FromStatus(response.StatusCode, _where);
        if (string.IsNullOrWhiteSpace(error))
        {
            return kind;
        }

        return new ConnectorException(kind.Kind, $"{_where} answered HTTP {(int)response.StatusCode}: {Scrub(error)}");
    }

    private JsonNode? Parse(string text, string what)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ConnectorException(ConnectorErrorKind.Protocol, $"{_where} answered {what} with something that is not JSON.", ex);
        }
    }

    private bool SameOrigin(Uri uri) =>
        string.Equals(uri.Scheme, _endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Host, _endpoint.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == _endpoint.Port;

    /// <summary>A server may echo the request back in an error: the token never reaches a message.</summary>
    private string Scrub(string message) =>
        _token.Length == 0 ? message : message.Replace(_token, "***", StringComparison.Ordinal);
}
