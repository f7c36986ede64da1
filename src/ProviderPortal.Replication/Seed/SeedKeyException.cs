namespace ProviderPortal.Replication.Seed;

/// <summary>A key file is missing, unreadable or not a key; or a key does not open a device. Never carries the key.</summary>
public sealed class SeedKeyException : IOException
{
    public SeedKeyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
