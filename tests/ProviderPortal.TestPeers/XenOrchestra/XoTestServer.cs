using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>
/// A Xen Orchestra REST API (<c>/rest/v0</c>) and an XAPI JSON-RPC endpoint (<c>/jsonrpc</c>) written from the
/// documented shapes (docs connector-contracts §1), on Kestrel with a self-signed certificate. It refuses what XO
/// refuses: Basic together with the cookie (400), a bad token (401 with <c>WWW-Authenticate: Basic realm="xo"</c>),
/// unknown objects (404), a snapshot in use (409), bad parameters (422). Every request is recorded for the tests.
/// </summary>
public sealed class XoTestServer : IAsyncDisposable
{
    public const string Token = "tok-3f9c1d2e7a6b4c58";
    public const string UserId = "722d17b9-699b-49d2-8193-be1ac573d3de";
    public const string XapiUser = "root";
    public const string XapiPassword = "xapi-pa55";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, XoTask> _tasks = new();
    private readonly ConcurrentDictionary<string, string> _sessions = new();
    private readonly ConcurrentDictionary<string, string> _refs = new();
    private readonly ConcurrentQueue<(string PathPrefix, int Status, string Error)> _injected = new();
    private readonly object _lock = new();
    private Dictionary<string, Dictionary<string, JsonObject>> _collections = [];
    private Dictionary<string, byte[]> _disks = [];
    private Dictionary<(string From, string To), byte[]> _changedBlocks = [];
    private (string Action, string Message)? _failNextTask;

    private XoTestServer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<RecordedRequest> Requests => [.. _requests];

    /// <summary>XAPI sessions logged in and not logged out.</summary>
    public int OpenXapiSessions => _sessions.Count;

    /// <summary>How long a task stays pending before it finishes.</summary>
    public TimeSpan TaskDuration { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Where get_nbd_info points: the NBD server's port, the file it serves (the VDI's bytes are written there)
    /// and its certificate (PEM).
    /// </summary>
    public (int Port, string File, string CertificatePem)? Nbd { get; set; }

    /// <summary>Where <c>/users/me</c> redirects; null is XO's own <c>/rest/v0/users/ID</c>.</summary>
    public string? UsersMeLocation { get; set; }

    /// <summary>
    /// <c>?wait=true</c> answers at once with the task still pending this many times (as when a proxy or XO
    /// ends a long request early), so a client must poll again.
    /// </summary>
    public int EarlyWaitAnswers { get; set; }

    /// <summary>The certificate get_nbd_info announces instead of the NBD server's real one (a tampered answer).</summary>
    public string? AnnouncedNbdCertificatePem { get; set; }

    public static async Task<XoTestServer> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new XoTestServer(app, certificate);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        server.Reset();
        return server;
    }

    /// <summary>Back to the seed estate (<see cref="XoSeed"/>), no recorded requests, no injected faults.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            (_collections, _disks) = XoSeed.Build();
            _changedBlocks = [];
            _failNextTask = null;
        }

        _requests.Clear();
        _tasks.Clear();
        _injected.Clear();
        AnnouncedNbdCertificatePem = null;
        UsersMeLocation = null;
        EarlyWaitAnswers = 0;
        TaskDuration = TimeSpan.FromMilliseconds(150);
    }

    public JsonObject Get(string collection, string id)
    {
        lock (_lock)
        {
            return _collections[collection][id];
        }
    }

    public bool Has(string collection, string id)
    {
        lock (_lock)
        {
            return _collections[collection].ContainsKey(id);
        }
    }

    public byte[] Disk(string vdiId)
    {
        lock (_lock)
        {
            return _disks[vdiId];
        }
    }

    public void WriteDisk(string vdiId, long offset, byte[] data)
    {
        lock (_lock)
        {
            data.CopyTo(_disks[vdiId], offset);
        }
    }

    /// <summary>What <c>VDI.list_changed_blocks(from, to)</c> answers; pairs not set fail as unrelated chains (SR_BACKEND_FAILURE_460).</summary>
    public void SetChangedBlocks(string fromVdi, string toVdi, byte[] bitmap)
    {
        lock (_lock)
        {
            _changedBlocks[(fromVdi, toVdi)] = bitmap;
        }
    }

    /// <summary>The next task of this action fails with this message (as XAPI errors surface in XO tasks).</summary>
    public void FailNextTask(string action, string message)
    {
        lock (_lock)
        {
            _failNextTask = (action, message);
        }
    }

    /// <summary>The next request whose path starts with the prefix is answered with this status and XO error body.</summary>
    public void InjectError(string pathPrefix, int status, string error) => _injected.Enqueue((pathPrefix, status, error));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers.Cookie.ToString(),
            request.Headers.Authorization.ToString()));

        if (request.Path.StartsWithSegments("/jsonrpc"))
        {
            await XapiAsync(context);
            return;
        }

        if (!request.Path.StartsWithSegments("/rest/v0", out var rest))
        {
            await ErrorAsync(context, 404, "not found");
            return;
        }

        if (!await AuthenticateAsync(context))
        {
            return;
        }

        if (_injected.TryPeek(out var fault) && rest.Value!.StartsWith(fault.PathPrefix, StringComparison.Ordinal) && _injected.TryDequeue(out fault))
        {
            await ErrorAsync(context, fault.Status, fault.Error);
            return;
        }

        var segments = rest.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Method, segments)
        {
            case ("GET", ["users", "me", .. var tail]):
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = UsersMeLocation ?? "/rest/v0/users/" + UserId + string.Concat(tail.Select(t => "/" + t));
                return;
            case ("GET", ["users", var user]) when user == UserId:
                await JsonAsync(context, 200, new JsonObject { ["id"] = UserId, ["email"] = "admin@admin.net", ["permission"] = "admin" });
                return;
            case ("GET", ["tasks", var taskId]):
                await TaskAsync(context, taskId);
                return;
            case ("GET", ["tasks"]):
                await JsonAsync(context, 200, new JsonArray([.. _tasks.Keys.Select(k => (JsonNode)("/rest/v0/tasks/" + k))]));
                return;
            case ("GET", [var collection]):
                await CollectionAsync(context, collection);
                return;
            case ("GET", ["vdis" or "vdi-snapshots", var file]) when file.Contains('.', StringComparison.Ordinal):
                await ExportAsync(context, segments[0], file);
                return;
            case ("GET", [var collection, var id]):
                await ObjectAsync(context, collection, id);
                return;
            case ("DELETE", ["vm-snapshots", var id]):
                await DeleteSnapshotAsync(context, id);
                return;
            case ("DELETE", ["vms", var id]):
                await DeleteVmAsync(context, id);
                return;
            case ("POST", ["vms", var id, "actions", var action]):
                await ActionAsync(context, id, action);
                return;
            default:
                await ErrorAsync(context, 404, "no such route");
                return;
        }
    }

    private async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var cookie = context.Request.Cookies["authenticationToken"] ?? context.Request.Cookies["token"];
        var basic = context.Request.Headers.Authorization.ToString();
        // As XO's authentication middleware: any Authorization header next to the cookie is refused, Basic or not.
        if (cookie is not null && basic.Length > 0)
        {
            await ErrorAsync(context, 400, "Having multiple authentication methods is not supported, please choose one");
            return false;
        }

        var ok = cookie is not null ? cookie == Token : basic.StartsWith("Basic ", StringComparison.Ordinal) && BasicIsValid(basic["Basic ".Length..]);
        if (!ok)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"xo\"";
            await ErrorAsync(context, 401, "invalid credentials");
        }

        return ok;
    }

    private static bool BasicIsValid(string encoded)
    {
        try
        {
            // XO splits on ':' and keeps two parts: a password with ':' is cut (a documented quirk).
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split(':');
            return parts.Length >= 2 && parts[0] == "admin@admin.net" && parts[1] == "admin";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task CollectionAsync(HttpContext context, string collection)
    {
        List<JsonObject> items;
        lock (_lock)
        {
            if (!_collections.TryGetValue(collection, out var objects))
            {
                items = null!;
            }
            else
            {
                items = [.. objects.Values.Select(o => (JsonObject)o.DeepClone())];
            }
        }

        if (items is null)
        {
            await ErrorAsync(context, 404, $"no such collection {collection}");
            return;
        }

        var query = context.Request.Query;
        if (query["filter"].ToString() is { Length: > 0 } filter)
        {
            if (!ComplexMatcher.TryParse(filter, out var matcher))
            {
                await ErrorAsync(context, 422, "invalid filter");
                return;
            }

            items = [.. items.Where(matcher!)];
        }

        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
            {
                await ErrorAsync(context, 422, "limit must be a number");
                return;
            }

            items = [.. items.Take(limit)];
        }

        var fields = query["fields"].ToString();
        var output = items.Select(o => Shape(collection, o, fields)).ToList();
        if (query["ndjson"].ToString() == "true")
        {
            context.Response.ContentType = "application/x-ndjson";
            var text = new StringBuilder();
            foreach (var item in output)
            {
                text.Append(item.ToJsonString()).Append('\n');
            }

            await context.Response.WriteAsync(text.ToString());
            return;
        }

        await JsonAsync(context, 200, new JsonArray([.. output]));
    }

    /// <summary>No fields: the href; <c>*</c>: the whole object; a list: those keys plus href.</summary>
    private static JsonNode Shape(string collection, JsonObject item, string fields)
    {
        var href = $"/rest/v0/{collection}/{item["id"]}";
        if (fields.Length == 0)
        {
            return JsonValue.Create(href);
        }

        JsonObject shaped;
        if (fields == "*")
        {
            shaped = item;
        }
        else
        {
            shaped = [];
            foreach (var field in fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (item.TryGetPropertyValue(field, out var value))
                {
                    shaped[field] = value?.DeepClone();
                }
            }
        }

        shaped["href"] = href;
        return shaped;
    }

    private async Task ObjectAsync(HttpContext context, string collection, string id)
    {
        JsonObject? item = null;
        lock (_lock)
        {
            if (_collections.TryGetValue(collection, out var objects) && objects.TryGetValue(id, out var found))
            {
                item = (JsonObject)found.DeepClone();
            }
        }

        if (item is null)
        {
            await ErrorAsync(context, 404, $"no such object {id}");
            return;
        }

        item["href"] = $"/rest/v0/{collection}/{id}";
        await JsonAsync(context, 200, item);
    }

    private async Task ExportAsync(HttpContext context, string collection, string file)
    {
        var dot = file.LastIndexOf('.');
        var (id, format) = (file[..dot], file[(dot + 1)..]);
        byte[]? data = null;
        lock (_lock)
        {
            if (_collections[collection].ContainsKey(id))
            {
                data = _disks[id];
            }
        }

        if (data is null)
        {
            await ErrorAsync(context, 404, $"no such object {id}");
            return;
        }

        if (format != "raw")
        {
            // vhd exists in XO but this test server implements raw only; qcow2 is refused by XO itself.
            await ErrorAsync(context, 422, $"invalid format {format}");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename={id}.raw";
        context.Response.ContentLength = data.Length;

        // Written in pieces so a reader really streams it.
        for (var offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await context.Response.Body.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)), context.RequestAborted);
        }
    }

    /// <summary>
    /// As XO's REST API (<c>DELETE /rest/v0/vms/:id</c> → the VM's <c>$destroy()</c>, 200): the VM goes with its disks
    /// and snapshots. XAPI refuses a VM that is not halted (VM_BAD_POWER_STATE), which XO answers as a server error.
    /// </summary>
    private async Task DeleteVmAsync(HttpContext context, string id)
    {
        int status;
        lock (_lock)
        {
            if (!_collections["vms"].TryGetValue(id, out var vm))
            {
                status = 404;
            }
            else if (vm["power_state"]?.ToString() != "Halted")
            {
                status = 500;
            }
            else
            {
                foreach (var snapshot in vm["snapshots"]?.AsArray().Select(s => s!.ToString()).ToList() ?? [])
                {
                    _collections["vm-snapshots"].Remove(snapshot);
                }

                foreach (var vbdId in vm["$VBDs"]!.AsArray().Select(v => v!.ToString()))
                {
                    if (_collections["vbds"].Remove(vbdId, out var vbd) && vbd["VDI"]?.ToString() is { } vdi)
                    {
                        _collections["vdis"].Remove(vdi);
                    }
                }

                _collections["vms"].Remove(id);
                status = 200;
            }
        }

        switch (status)
        {
            case 404:
                await ErrorAsync(context, 404, $"no such VM {id}");
                break;
            case 500:
                await ErrorAsync(context, 500, "VM_BAD_POWER_STATE: the VM must be halted");
                break;
            default:
                context.Response.StatusCode = 200;
                break;
        }
    }

    private async Task DeleteSnapshotAsync(HttpContext context, string id)
    {
        int status;
        lock (_lock)
        {
            var snapshots = _collections["vm-snapshots"];
            if (!snapshots.TryGetValue(id, out var snapshot))
            {
                status = 404;
            }
            else if (snapshot["current_operations"] is JsonObject { Count: > 0 })
            {
                status = 409;
            }
            else
            {
                foreach (var vbdId in snapshot["$VBDs"]!.AsArray().Select(v => v!.ToString()))
                {
                    if (_collections["vbds"].Remove(vbdId, out var vbd) && vbd["VDI"]?.ToString() is { } vdi)
                    {
                        _collections["vdi-snapshots"].Remove(vdi);
                    }
                }

                snapshots.Remove(id);
                var vm = _collections["vms"][snapshot["$snapshot_of"]!.ToString()];
                vm["snapshots"] = new JsonArray([.. vm["snapshots"]!.AsArray().Select(s => s!.ToString()).Where(s => s != id).Select(s => (JsonNode)s)]);
                status = 204;
            }
        }

        switch (status)
        {
            case 404:
                await ErrorAsync(context, 404, $"no such VM-snapshot {id}");
                break;
            case 409:
                await ErrorAsync(context, 409, "incorrect state: the snapshot has an operation in progress");
                break;
            default:
                context.Response.StatusCode = 204;
                break;
        }
    }

    private async Task ActionAsync(HttpContext context, string vmId, string action)
    {
        if (action is not ("start" or "clean_shutdown" or "hard_shutdown" or "clean_reboot" or "hard_reboot" or "snapshot"))
        {
            await ErrorAsync(context, 404, $"no such action {action}");
            return;
        }

        JsonObject body = [];
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                await ErrorAsync(context, 422, "the body must be a JSON object");
                return;
            }
        }

        if (body["name_label"] is { } label && label.GetValueKind() != JsonValueKind.String)
        {
            await ErrorAsync(context, 422, "name_label must be a string");
            return;
        }

        bool exists;
        lock (_lock)
        {
            exists = _collections["vms"].ContainsKey(vmId);
        }

        if (!exists)
        {
            await ErrorAsync(context, 404, $"no such VM {vmId}");
            return;
        }

        var task = new XoTask(Guid.NewGuid().ToString("N")[..10], action, vmId);
        _tasks[task.Id] = task;
        _ = CompleteLaterAsync(task, body);
        context.Response.Headers.Location = "/rest/v0/tasks/" + task.Id;
        await JsonAsync(context, 202, new JsonObject { ["taskId"] = task.Id });
    }

    private async Task CompleteLaterAsync(XoTask task, JsonObject body)
    {
        await Task.Delay(TaskDuration);
        lock (_lock)
        {
            if (_failNextTask is { } fail && fail.Action == task.Action)
            {
                _failNextTask = null;
                task.Fail(fail.Message);
                return;
            }

            var vm = _collections["vms"][task.VmId];
            var state = vm["power_state"]!.ToString();
            switch (task.Action)
            {
                case "snapshot":
                    task.Succeed(new JsonObject { ["id"] = Snapshot(vm, body["name_label"]?.ToString()) });
                    return;
                case "start" when state == "Halted":
                    vm["power_state"] = "Running";
                    vm["$container"] = XoSeed.HostId;
                    break;
                case "clean_shutdown" or "hard_shutdown" when state == "Running":
                    vm["power_state"] = "Halted";
                    vm["$container"] = XoSeed.PoolId;
                    break;
                case "clean_reboot" or "hard_reboot" when state == "Running":
                    break;
                default:
                    task.Fail($"VM_BAD_POWER_STATE({task.VmId}, {(task.Action == "start" ? "halted" : "running")}, {state.ToLowerInvariant()})");
                    return;
            }

            task.Succeed(null);
        }
    }

    /// <summary>A snapshot as XAPI makes it: a snapshot VM, a VBD and a VDI snapshot per disk, the bytes copied.</summary>
    private string Snapshot(JsonObject vm, string? name)
    {
        var snapshotId = Guid.NewGuid().ToString();
        var vbdIds = new JsonArray();
        foreach (var vbdId in vm["$VBDs"]!.AsArray().Select(v => v!.ToString()))
        {
            var vbd = _collections["vbds"][vbdId];
            if (vbd["VDI"]?.ToString() is not { } vdiId)
            {
                continue;
            }

            var vdi = _collections["vdis"][vdiId];
            var snapVdi = Guid.NewGuid().ToString();
            var snapVbd = Guid.NewGuid().ToString();
            _collections["vdi-snapshots"][snapVdi] = new JsonObject
            {
                ["id"] = snapVdi, ["uuid"] = snapVdi, ["type"] = "VDI-snapshot", ["name_label"] = vdi["name_label"]?.DeepClone(),
                ["size"] = vdi["size"]?.DeepClone(), ["usage"] = vdi["usage"]?.DeepClone(), ["cbt_enabled"] = vdi["cbt_enabled"]?.DeepClone(),
                ["$SR"] = vdi["$SR"]?.DeepClone(), ["$snapshot_of"] = vdiId, ["$VBDs"] = new JsonArray(snapVbd), ["VDI_type"] = "user",
                ["snapshot_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
            _collections["vbds"][snapVbd] = new JsonObject
            {
                ["id"] = snapVbd, ["uuid"] = snapVbd, ["type"] = "VBD", ["VDI"] = snapVdi, ["VM"] = snapshotId,
                ["device"] = vbd["device"]?.DeepClone(), ["position"] = vbd["position"]?.DeepClone(), ["is_cd_drive"] = false, ["attached"] = false,
            };
            _disks[snapVdi] = (byte[])_disks[vdiId].Clone();
            vbdIds.Add(snapVbd);
        }

        _collections["vm-snapshots"][snapshotId] = new JsonObject
        {
            ["id"] = snapshotId, ["uuid"] = snapshotId, ["type"] = "VM-snapshot", ["name_label"] = name ?? vm["name_label"]!.ToString(),
            ["snapshot_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["$snapshot_of"] = vm["id"]!.ToString(), ["$VBDs"] = vbdIds,
            ["power_state"] = "Halted", ["current_operations"] = new JsonObject(),
        };
        vm["snapshots"]!.AsArray().Add(snapshotId);
        return snapshotId;
    }

    private async Task TaskAsync(HttpContext context, string taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var task))
        {
            await ErrorAsync(context, 404, $"no such task {taskId}");
            return;
        }

        if (context.Request.Query["wait"].ToString() == "true" && !(EarlyWaitAnswers > 0 && EarlyWaitAnswers-- > 0))
        {
            await task.Done.WaitAsync(context.RequestAborted);
        }

        await JsonAsync(context, 200, task.ToJson());
    }

    private async Task XapiAsync(HttpContext context)
    {
        if (context.Request.Method != "POST")
        {
            context.Response.StatusCode = 405;
            return;
        }

        JsonObject? call;
        try
        {
            call = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            call = null;
        }

        var id = call?["id"];
        var v2 = call?["jsonrpc"]?.ToString() == "2.0";
        if (call is null || id is null || call["method"]?.ToString() is not { } method || call["params"] is not JsonArray parameters)
        {
            // XAPI takes no notifications (a null id) and always positional params.
            await JsonAsync(context, 200, RpcError(null, true, "JSONRPC_INVALID_REQUEST", []));
            return;
        }

        var args = parameters.Select(p => p?.ToString() ?? "").ToArray();
        JsonNode? reply;
        try
        {
            reply = RpcResult(id, v2, Xapi(method, args));
        }
        catch (XapiFault fault)
        {
            reply = RpcError(id, v2, fault.Code, fault.Parameters);
        }

        await JsonAsync(context, 200, reply);
    }

    private JsonNode? Xapi(string method, string[] args)
    {
        if (method == "session.login_with_password")
        {
            Expect(args, 4, method);
            if (args[0] != XapiUser || args[1] != XapiPassword)
            {
                throw new XapiFault("SESSION_AUTHENTICATION_FAILED", args[0], "Authentication failure");
            }

            var session = "OpaqueRef:" + Guid.NewGuid();
            _sessions[session] = args[0];
            return session;
        }

        if (args.Length == 0 || !_sessions.ContainsKey(args[0]))
        {
            throw new XapiFault("SESSION_INVALID", args.Length > 0 ? args[0] : "");
        }

        switch (method)
        {
            case "session.logout":
                Expect(args, 1, method);
                _sessions.TryRemove(args[0], out _);
                return "";
            case "VDI.get_by_uuid":
                Expect(args, 2, method);
                lock (_lock)
                {
                    if (!_collections["vdis"].ContainsKey(args[1]) && !_collections["vdi-snapshots"].ContainsKey(args[1]))
                    {
                        throw new XapiFault("UUID_INVALID", "VDI", args[1]);
                    }
                }

                var reference = "OpaqueRef:" + Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(args[1]))).ToLowerInvariant();
                _refs[reference] = args[1];
                return reference;
            case "VDI.enable_cbt":
                {
                    Expect(args, 2, method);
                    var uuid = Deref(args[1]);
                    lock (_lock)
                    {
                        if (_collections["vdi-snapshots"].ContainsKey(uuid))
                        {
                            throw new XapiFault("VDI_IS_A_SNAPSHOT", args[1]);
                        }

                        _collections["vdis"][uuid]["cbt_enabled"] = true;
                    }

                    return "";
                }

            case "VDI.list_changed_blocks":
                {
                    Expect(args, 3, method);
                    var (from, to) = (Deref(args[1]), Deref(args[2]));
                    lock (_lock)
                    {
                        if (!_collections["vdi-snapshots"].ContainsKey(to))
                        {
                            throw new XapiFault("VDI_IN_USE", args[2], "list_changed_blocks");
                        }

                        return _changedBlocks.TryGetValue((from, to), out var bitmap)
                            ? Convert.ToBase64String(bitmap)
                            : throw new XapiFault("SR_BACKEND_FAILURE_460", "", "Failed to calculate changed blocks for given VDIs. [opterr=Source and target VDI are unrelated]", "");
                    }
                }

            case "VDI.get_nbd_info":
                {
                    Expect(args, 2, method);
                    var uuid = Deref(args[1]);
                    if (Nbd is not { } nbd)
                    {
                        return new JsonArray();
                    }

                    lock (_lock)
                    {
                        // The NBD server serves this VDI's bytes from now on.
                        File.WriteAllBytes(nbd.File, _disks[uuid]);
                    }

                    return new JsonArray(new JsonObject
                    {
                        ["address"] = "127.0.0.1",
                        ["port"] = nbd.Port,
                        ["cert"] = AnnouncedNbdCertificatePem ?? nbd.CertificatePem,
                        ["exportname"] = $"/{uuid}?session_id={args[0]}",
                        ["subject"] = "127.0.0.1",
                    });
                }

            default:
                throw new XapiFault("MESSAGE_METHOD_UNKNOWN", method);
        }
    }

    private string Deref(string reference) =>
        _refs.TryGetValue(reference, out var uuid) ? uuid : throw new XapiFault("HANDLE_INVALID", "VDI", reference);

    private static void Expect(string[] args, int count, string method)
    {
        if (args.Length != count)
        {
            throw new XapiFault("MESSAGE_PARAMETER_COUNT_MISMATCH", method, count.ToString(CultureInfo.InvariantCulture), args.Length.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static JsonObject RpcResult(JsonNode id, bool v2, JsonNode? result) => v2
        ? new JsonObject { ["jsonrpc"] = "2.0", ["result"] = result, ["id"] = id.DeepClone() }
        : new JsonObject { ["result"] = result, ["error"] = null, ["id"] = id.DeepClone() };

    private static JsonObject RpcError(JsonNode? id, bool v2, string code, string[] data) => v2
        ? new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["error"] = new JsonObject { ["code"] = 1, ["message"] = code, ["data"] = new JsonArray([.. data.Select(d => (JsonNode)d)]) },
            ["id"] = id?.DeepClone(),
        }
        : new JsonObject { ["result"] = null, ["error"] = new JsonArray([code, .. data.Select(d => (JsonNode)d)]), ["id"] = id?.DeepClone() };

    private static async Task JsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body?.ToJsonString() ?? "null");
    }

    private static Task ErrorAsync(HttpContext context, int status, string error) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error });

    private sealed class XapiFault(string code, params string[] data) : Exception(code)
    {
        public string Code { get; } = code;

        public string[] Parameters { get; } = data;
    }
}
