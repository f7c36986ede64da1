namespace ProviderPortal.Replication.Seed;

/// <summary>A seed device: the folder it is mounted at and, when given, the bytes of chunk files this disk may put on it.</summary>
public sealed record SeedDevice(string Folder, long? CapacityBytes = null);
