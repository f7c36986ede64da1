using System.Text.Json;
using System.Text.Json.Serialization;
using ProviderPortal.Domain.Workers.Protocol;

namespace ProviderPortal.Worker.Portal;

/// <summary>
/// The hub messages as source-generated JSON (the worker is native AOT: no reflection). Web defaults, as the portal's
/// hub: camelCase names, read case-insensitively, enums as numbers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkerHello))]
[JsonSerializable(typeof(WorkerWelcome))]
[JsonSerializable(typeof(TaskAssignment))]
[JsonSerializable(typeof(ThrottleUpdate))]
[JsonSerializable(typeof(Guid))]
// A hub method's return value when the worker does not expect one (InvokeAsync without a result type).
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(SnapshotReport))]
[JsonSerializable(typeof(DiskPlannedReport))]
[JsonSerializable(typeof(ProgressReport))]
[JsonSerializable(typeof(CheckpointReport))]
[JsonSerializable(typeof(DiskDoneReport))]
[JsonSerializable(typeof(CompletedReport))]
[JsonSerializable(typeof(FailedReport))]
internal sealed partial class WorkerProtocolJson : JsonSerializerContext;
