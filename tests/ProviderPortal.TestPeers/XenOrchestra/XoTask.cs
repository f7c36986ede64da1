using System.Text.Json.Nodes;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>An XO task as <c>GET /rest/v0/tasks/{id}</c> shows it: pending, then success with a result or failure with a message.</summary>
public sealed class XoTask(string id, string action, string vmId)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private string _status = "pending";
    private JsonNode? _result;
    private long? _end;

    public string Id { get; } = id;

    public string Action { get; } = action;

    public string VmId { get; } = vmId;

    public Task Done => _done.Task;

    public void Succeed(JsonNode? result) => Finish("success", result);

    public void Fail(string message) =>
        Finish("failure", new JsonObject { ["message"] = message, ["name"] = "XapiError", ["stack"] = "XapiError: " + message });

    public JsonObject ToJson()
    {
        lock (_done)
        {
            var task = new JsonObject
            {
                ["id"] = Id,
                ["status"] = _status,
                ["start"] = _start,
                ["properties"] = new JsonObject
                {
                    ["name"] = $"REST API: {Action} VM",
                    ["type"] = "xo:rest-api:action",
                    ["objectId"] = VmId,
                    ["objectType"] = "VM",
                },
            };
            if (_end is { } end)
            {
                task["end"] = end;
                task["result"] = _result?.DeepClone();
            }

            return task;
        }
    }

    private void Finish(string status, JsonNode? result)
    {
        lock (_done)
        {
            _status = status;
            _result = result;
            _end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }

        _done.TrySetResult();
    }
}
