namespace ProviderPortal.Domain.Assessments;

/// <summary>A seed device the provider can ship (an item of the device catalog).</summary>
/// <param name="CapacityBytes">Usable bytes on the device (after encryption and manifest overhead).</param>
/// <param name="ShippingDaysEachWay">Courier days from the provider to the customer, and the same back.</param>
/// <param name="LoadBytesPerSecond">Write speed at the customer's site when loading the seed.</param>
/// <param name="IngestBytesPerSecond">Read speed at the provider when ingesting and verifying the seed.</param>
/// <param name="HandlingDays">Days the provider needs to prepare and dispatch a device, before it ships.</param>
public sealed record SeedDeviceModel(
    string Name,
    long CapacityBytes,
    double ShippingDaysEachWay,
    double LoadBytesPerSecond,
    double IngestBytesPerSecond,
    double HandlingDays);
