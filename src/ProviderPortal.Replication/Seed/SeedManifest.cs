namespace ProviderPortal.Replication.Seed;

/// <summary>
/// What one seed device holds, kept encrypted and authenticated in its manifest file (see <see cref="SeedFormat"/>): the
/// disks (or parts of disks) on it and, for each, every chunk written so far with the SHA-256 of its file.
/// </summary>
internal sealed class SeedManifest
{
    public int Version { get; set; } = SeedFormat.Version;

    /// <summary>Random, made when the device was first written; bound into the manifest's authentication.</summary>
    public string DeviceId { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    public List<SeedDiskPart> Disks { get; set; } = [];
}

/// <summary>
/// The part of one disk on one device: chunks [FirstChunk, EndChunk) of the disk's plan. A disk that does not fit on
/// one device continues on the next with the next part, the same SeedId and the same plan.
/// </summary>
internal sealed class SeedDiskPart
{
    public string DiskId { get; set; } = "";

    /// <summary>Random per writing of the disk (hex): chunks of another writing, even of the same disk, do not authenticate.</summary>
    public string SeedId { get; set; } = "";

    public long DiskSize { get; set; }

    public int ChunkSize { get; set; }

    /// <summary>SHA-256 (hex) of the disk size, the chunk size and every planned chunk's offset and length.</summary>
    public string PlanId { get; set; } = "";

    /// <summary>What the disk was read from (<see cref="SeedWriteOptions.SourceId"/>), or empty when the writer did not say.</summary>
    public string SourceId { get; set; } = "";

    /// <summary>Chunks in the disk's whole plan, over all its parts.</summary>
    public int ChunkCount { get; set; }

    /// <summary>Bytes of allocated data in the whole plan.</summary>
    public long DataBytes { get; set; }

    public int Part { get; set; }

    public int PartCount { get; set; }

    public int FirstChunk { get; set; }

    public int EndChunk { get; set; }

    /// <summary>Every chunk of [FirstChunk, EndChunk) is written and recorded.</summary>
    public bool Complete { get; set; }

    public List<SeedChunk> Chunks { get; set; } = [];
}

/// <summary>One written chunk: plaintext [Offset, Offset+Length) of the disk; a chunk that read as zeroes has no file.</summary>
internal sealed class SeedChunk
{
    public int Index { get; set; }

    public long Offset { get; set; }

    public int Length { get; set; }

    public bool Zero { get; set; }

    /// <summary>SHA-256 (hex) of the whole chunk file (header, nonce, ciphertext and tag); empty for a zero chunk.</summary>
    public string Sha256 { get; set; } = "";
}
