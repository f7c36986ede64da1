using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ProviderPortal.Connectors.Common;

using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Connectors.Tests.XenOrchestra;

/// <summary>The test server itself refuses what XO refuses and answers in XO's shapes, so the contract tests mean something.</summary>
[Collection(XoCollection.Name)]
public sealed class XoTestServerTests : IDisposable
{
    private readonly XoTestServer _server;
    private readonly HttpClient _http;

    public XoTestServerTests(XoFixture fixture)
    {
        _server = fixture.Server;
        _server.Reset();
        _http = new HttpClient(PinnedHttp.CreateHandler(fixture.XoThumbprint, useCookies: false)) { BaseAddress = new Uri(_server.Endpoint, "rest/v0/") };
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Get_CookieAndBasicTogether_400()
    {
        using var request = Authenticated(HttpMethod.Get, "vms");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin@admin.net:admin")));

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_BadToken_401WithBasicRealmAndErrorBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "vms");
        request.Headers.Add("Cookie", "authenticationToken=wrong");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"xo\"", response.Headers.WwwAuthenticate.ToString());
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task Get_BearerHeaderInsteadOfCookie_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "vms");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", XoTestServer.Token);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetCollection_NoFields_Hrefs()
    {
        var hrefs = await JsonAsync("vms");

        string[] expected = [$"/rest/v0/vms/{XoSeed.WebVmId}", $"/rest/v0/vms/{XoSeed.DbVmId}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), hrefs!.AsArray().Select(h => h!.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetCollection_FieldsFilterLimit_OnlyThoseKeysPlusHrefAndSubstringMatch()
    {
        var vms = (await JsonAsync("vms?fields=name_label,power_state&filter=name_label:WEB&limit=5"))!.AsArray();

        var vm = Assert.Single(vms)!.AsObject();
        Assert.Equal(["name_label", "power_state", "href"], vm.Select(p => p.Key));
        Assert.Equal("web-01", vm["name_label"]!.ToString());
    }

    [Fact]
    public async Task GetCollection_Ndjson_OneObjectPerLine()
    {
        using var request = Authenticated(HttpMethod.Get, "vdis?fields=id,size,cbt_enabled&ndjson=true");
        using var response = await _http.SendAsync(request);

        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.NotNull(JsonNode.Parse(l)!["size"]));
    }

    [Fact]
    public async Task PostAction_Snapshot_202WithLocationAndTaskIdThenTaskSucceedsWithTheSnapshotId()
    {
        using var request = Authenticated(HttpMethod.Post, $"vms/{XoSeed.WebVmId}/actions/snapshot");
        request.Content = new StringContent("""{"name_label":"s"}""", Encoding.UTF8, "application/json");

        using var response = await _http.SendAsync(request);
        var taskId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskId"]!.ToString();
        var task = await JsonAsync($"tasks/{taskId}?wait=true");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/rest/v0/tasks/{taskId}", response.Headers.Location!.ToString());
        Assert.Equal("success", task!["status"]!.ToString());
        Assert.NotNull(_server.Get("vm-snapshots", task["result"]!["id"]!.ToString()));
    }

    [Fact]
    public async Task PostAction_NameLabelNotAString_422()
    {
        using var request = Authenticated(HttpMethod.Post, $"vms/{XoSeed.WebVmId}/actions/snapshot");
        request.Content = new StringContent("""{"name_label":42}""", Encoding.UTF8, "application/json");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task GetRawExport_Snapshot_ContentLengthAndBytes()
    {
        using var request = Authenticated(HttpMethod.Get, $"vdi-snapshots/{XoSeed.OldSnapshotVdiId}.raw");
        using var response = await _http.SendAsync(request);

        Assert.Equal(XoSeed.WebDiskSize, response.Content.Headers.ContentLength);
        Assert.Equal(_server.Disk(XoSeed.OldSnapshotVdiId), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Xapi_NotificationWithoutId_Refused()
    {
        using var response = await _http.PostAsync(
            new Uri(_server.Endpoint, "jsonrpc"),
            new StringContent("""{"jsonrpc":"2.0","method":"session.login_with_password","params":["root","xapi-pa55","",""]}""", Encoding.UTF8, "application/json"));

        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.NotNull(reply["error"]);
        Assert.Equal(0, _server.OpenXapiSessions);
    }

    private HttpRequestMessage Authenticated(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"authenticationToken={XoTestServer.Token}");
        return request;
    }

    private async Task<JsonNode?> JsonAsync(string path)
    {
        using var request = Authenticated(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}
