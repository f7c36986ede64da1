using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProviderPortal.Replication.Copy;

/// <summary>Source-generated JSON for checkpoints, so the worker also runs as a native (AOT) executable.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CopyCheckpoint))]
internal sealed partial class CopyCheckpointJson : JsonSerializerContext;
