using ProviderPortal.Domain.SeedDevices;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// An order as the tenant's list and the staff's board show it. Never carries the device key, not even encrypted.
/// <see cref="TenantName"/> is filled for staff only.
/// </summary>
public sealed record SeedDeviceOrderRow(
    Guid Id,
    string? TenantName,
    Guid PlanId,
    string PlanName,
    string ModelName,
    int DeviceCount,
    long BytesToLoad,
    SeedDeviceOrderStatus Status,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    ShippingAddress Address,
    string? Carrier,
    string? TrackingNumber,
    string? ReturnCarrier,
    string? ReturnTrackingNumber,
    IReadOnlyDictionary<SeedDeviceOrderStatus, DateTimeOffset> Steps,
    string? Reason,
    long? VerifiedChunks);
