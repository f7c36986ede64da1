using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProviderPortal.Replication.Seed;

/// <summary>
/// The seed-device format, version 1. A device folder holds:
/// <list type="bullet">
/// <item><c>seed-manifest.json</c>: the format name, a key check value (HKDF of the order key) and the manifest
/// (<see cref="SeedManifest"/>), encrypted and authenticated with AES-256-GCM under a key derived from the order key,
/// a fresh random nonce per save, the format name, key check and device id as associated data.</item>
/// <item><c>chunks/SEEDID/NNNNNNNN.chunk</c>: one chunk of a disk's allocated data: magic, a random 96-bit nonce, the
/// AES-256-GCM ciphertext and its tag. The associated data binds the chunk to its disk writing (seed id), the disk's
/// size, its index, offset and length, so a chunk cannot be moved to another place or another disk.</item>
/// </list>
/// Holes and zero runs are not stored. Nothing in plain text names a VM, a disk or a secret; the key never leaves the portal.
/// </summary>
internal static class SeedFormat
{
    public const int Version = 1;
    public const string FormatName = "providerportal-seed/1";
    public const string ManifestFileName = "seed-manifest.json";
    public const string LockFileName = "seed.lock";
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Bytes a chunk file adds to its plaintext: magic, nonce, tag.</summary>
    public const int Overhead = 4 + NonceSize + TagSize;

    private static readonly byte[] s_chunkMagic = "PPS1"u8.ToArray();

    public static string ChunkPath(string folder, string seedId, int index) =>
        Path.Combine(folder, "chunks", seedId, $"{index:D8}.chunk");

    public static string ChunkName(string seedId, int index) => $"chunks/{seedId}/{index:D8}.chunk";

    /// <summary>Encrypts one chunk into <paramref name="file"/> (plaintext length + <see cref="Overhead"/> bytes).</summary>
    public static void EncryptChunk(SeedKey key, SeedDiskPart part, int index, long offset, ReadOnlySpan<byte> plaintext, Span<byte> file)
    {
        s_chunkMagic.CopyTo(file);
        var nonce = file.Slice(4, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var ciphertext = file.Slice(4 + NonceSize, plaintext.Length);
        var tag = file.Slice(4 + NonceSize + plaintext.Length, TagSize);
        using var aes = new AesGcm(key.ChunkKey, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, ChunkAssociatedData(part, index, offset, plaintext.Length));
    }

    /// <summary>Decrypts a chunk file into <paramref name="plaintext"/>; false when it does not authenticate.</summary>
    public static bool TryDecryptChunk(SeedKey key, SeedDiskPart part, SeedChunk chunk, ReadOnlySpan<byte> file, Span<byte> plaintext)
    {
        if (file.Length != chunk.Length + Overhead || !file[..4].SequenceEqual(s_chunkMagic))
        {
            return false;
        }

        try
        {
            using var aes = new AesGcm(key.ChunkKey, TagSize);
            aes.Decrypt(
                file.Slice(4, NonceSize),
                file.Slice(4 + NonceSize, chunk.Length),
                file.Slice(4 + NonceSize + chunk.Length, TagSize),
                plaintext[..chunk.Length],
                ChunkAssociatedData(part, chunk.Index, chunk.Offset, chunk.Length));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Reads and opens a device's manifest; null when the folder has none. Wrong key and tampering are told apart.</summary>
    public static SeedManifest? ReadManifest(string folder, SeedKey key)
    {
        var path = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        SeedManifestEnvelope? envelope;
        try
        {
            ReadOnlySpan<byte> bytes = File.ReadAllBytes(path);
            envelope = JsonSerializer.Deserialize(bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes, SeedManifestJson.Default.SeedManifestEnvelope);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (envelope is null || envelope.Format != FormatName)
        {
            throw new SeedVerificationException($"The seed manifest {path} is damaged or altered: it is not a {FormatName} manifest.");
        }

        byte[] keyCheck, nonce, sealedManifest;
        try
        {
            keyCheck = Convert.FromBase64String(envelope.KeyCheck);
            nonce = Convert.FromBase64String(envelope.Nonce);
            sealedManifest = Convert.FromBase64String(envelope.Manifest);
        }
        catch (FormatException)
        {
            throw new SeedVerificationException($"The seed manifest {path} is damaged or altered: a field is not valid base64.");
        }

        if (!CryptographicOperations.FixedTimeEquals(keyCheck, key.KeyCheck))
        {
            throw new SeedKeyException(
                $"The key does not open the seed device {folder}: its key check value differs (a wrong key for this order, or a manifest whose key check was altered).");
        }

        if (nonce.Length != NonceSize || sealedManifest.Length < TagSize)
        {
            throw new SeedVerificationException($"The seed manifest {path} is damaged or altered: its nonce or its encrypted manifest has the wrong length.");
        }

        var json = new byte[sealedManifest.Length - TagSize];
        try
        {
            using var aes = new AesGcm(key.ManifestKey, TagSize);
            aes.Decrypt(nonce, sealedManifest.AsSpan(0, json.Length), sealedManifest.AsSpan(json.Length), json, ManifestAssociatedData(envelope.KeyCheck));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SeedVerificationException($"The seed manifest {path} was altered or damaged: it does not authenticate with the order key (the key itself is right).");
        }

        var manifest = JsonSerializer.Deserialize(json, SeedManifestJson.Default.SeedManifest);
        if (manifest is null || manifest.Version != Version)
        {
            throw new SeedVerificationException($"The seed manifest {path} has an unknown version.");
        }

        return manifest;
    }

    /// <summary>Encrypts and saves the manifest: written beside, flushed to the device, then renamed over the old one.</summary>
    public static void WriteManifest(string folder, SeedKey key, SeedManifest manifest)
    {
        manifest.UpdatedAt = DateTimeOffset.UtcNow;
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, SeedManifestJson.Default.SeedManifest);
        var keyCheck = Convert.ToBase64String(key.KeyCheck);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedManifest = new byte[json.Length + TagSize];
        using (var aes = new AesGcm(key.ManifestKey, TagSize))
        {
            aes.Encrypt(nonce, json, sealedManifest.AsSpan(0, json.Length), sealedManifest.AsSpan(json.Length), ManifestAssociatedData(keyCheck));
        }

        var envelope = new SeedManifestEnvelope
        {
            Format = FormatName,
            KeyCheck = keyCheck,
            Nonce = Convert.ToBase64String(nonce),
            Manifest = Convert.ToBase64String(sealedManifest),
        };
        var path = Path.Combine(folder, ManifestFileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, envelope, SeedManifestJson.Default.SeedManifestEnvelope);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] ManifestAssociatedData(string keyCheck) => Encoding.ASCII.GetBytes($"{FormatName} manifest {keyCheck}");

    private static byte[] ChunkAssociatedData(SeedDiskPart part, int index, long offset, int length)
    {
        var prefix = Encoding.ASCII.GetBytes($"{FormatName} chunk {part.SeedId} ");
        var data = new byte[prefix.Length + 24];
        prefix.CopyTo(data, 0);
        var fields = data.AsSpan(prefix.Length);
        BinaryPrimitives.WriteInt64LittleEndian(fields, part.DiskSize);
        BinaryPrimitives.WriteInt32LittleEndian(fields[8..], index);
        BinaryPrimitives.WriteInt64LittleEndian(fields[12..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(fields[20..], length);
        return data;
    }
}
