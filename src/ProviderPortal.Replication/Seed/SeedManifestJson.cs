using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProviderPortal.Replication.Seed;

/// <summary>Source-generated JSON for the seed manifest, so the worker also runs as a native (AOT) executable.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SeedManifest))]
[JsonSerializable(typeof(SeedManifestEnvelope))]
internal sealed partial class SeedManifestJson : JsonSerializerContext;

/// <summary>The manifest file as stored: the format, the key check value, and the encrypted manifest with its nonce.</summary>
internal sealed class SeedManifestEnvelope
{
    public string Format { get; set; } = "";

    public string KeyCheck { get; set; } = "";

    public string Nonce { get; set; } = "";

    /// <summary>Base64 of the AES-256-GCM ciphertext of the manifest's JSON followed by its 16-byte tag.</summary>
    public string Manifest { get; set; } = "";
}
