namespace ProviderPortal.Domain.Assessments;

/// <summary>What a readiness warning is about, for filtering and icons; the words are in the warning.</summary>
public enum ReadinessIssue
{
    ChangeTrackingOff = 0,
    ChangeTrackingNotSupported = 1,
    ExistingSnapshots = 2,
    IndependentDisks = 3,
    RawMappedDisks = 4,
    NoGuestTools = 5,
    OutdatedGuestTools = 6,
    DiskLargerThanSeedDevice = 7,
    CpuVendorDiffers = 8,
    NotConvergent = 9,
    PeakOutrunsBandwidth = 10,
    DowntimeOverTarget = 11,
}
