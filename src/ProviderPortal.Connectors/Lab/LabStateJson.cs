using System.Text.Json.Serialization;

namespace ProviderPortal.Connectors.Lab;

/// <summary>Source-generated JSON for the state file: no reflection, so the AOT worker can share a lab.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LabState))]
internal sealed partial class LabStateJson : JsonSerializerContext;
