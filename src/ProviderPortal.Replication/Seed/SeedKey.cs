using System.Security.Cryptography;
using System.Text;

namespace ProviderPortal.Replication.Seed;

/// <summary>
/// The 32-byte key of one seed-device order. The portal keeps it; it is never written to a device. Every key
/// the format uses (chunks, manifest, key check) is derived from it with HKDF-SHA256, so one order key is all
/// there is to store. <see cref="ToString"/> never shows it.
/// </summary>
public sealed class SeedKey : IDisposable
{
    public const int Size = 32;

    private readonly byte[] _key;

    private SeedKey(byte[] key)
    {
        _key = key;
        ChunkKey = Derive("providerportal-seed/1 chunk encryption", Size);
        ManifestKey = Derive("providerportal-seed/1 manifest encryption", Size);
        KeyCheck = Derive("providerportal-seed/1 key check", 16);
    }

    /// <summary>Encrypts and authenticates chunks (AES-256-GCM).</summary>
    internal byte[] ChunkKey { get; }

    /// <summary>Encrypts and authenticates the manifest (AES-256-GCM).</summary>
    internal byte[] ManifestKey { get; }

    /// <summary>Stored on the device so a wrong key is told apart from tampering; reveals nothing of the key.</summary>
    internal byte[] KeyCheck { get; }

    /// <summary>A new random key, for a new order.</summary>
    public static SeedKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    public static SeedKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException($"A seed key is {Size} bytes; this one has {key.Length}.", nameof(key));
        }

        return new SeedKey(key.ToArray());
    }

    /// <summary>
    /// Reads a key file: 64 hexadecimal characters or the base64 of 32 bytes (surrounding white space ignored),
    /// or exactly 32 raw bytes. The message of a failure names the file, never its content.
    /// </summary>
    public static SeedKey ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SeedKeyException($"The key file {path} cannot be read: {ex.Message}", ex);
        }

        try
        {
            if (bytes.Length == Size && !IsText(bytes))
            {
                return new SeedKey(bytes);
            }

            var text = Encoding.ASCII.GetString(bytes).Trim();
            if (text.Length == 2 * Size && text.All(char.IsAsciiHexDigit))
            {
                return new SeedKey(Convert.FromHexString(text));
            }

            var decoded = new byte[Size + 3];
            if (Convert.TryFromBase64String(text, decoded, out var written) && written == Size)
            {
                return new SeedKey(decoded[..Size]);
            }

            throw new SeedKeyException($"The key file {path} does not hold a seed key: it must be 64 hexadecimal characters, the base64 of 32 bytes, or 32 raw bytes.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The key as 64 lowercase hexadecimal characters, the form the portal stores and the key file holds.</summary>
    public string ToHex() => Convert.ToHexStringLower(_key);

    public override string ToString() => "SeedKey(hidden)";

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(ChunkKey);
        CryptographicOperations.ZeroMemory(ManifestKey);
    }

    private static bool IsText(byte[] bytes) => bytes.All(b => b is (>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\r' or (byte)'\t');

    private byte[] Derive(string purpose, int length) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, salt: [], info: Encoding.ASCII.GetBytes(purpose));
}
