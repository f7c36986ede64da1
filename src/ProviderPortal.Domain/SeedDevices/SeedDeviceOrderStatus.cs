namespace ProviderPortal.Domain.SeedDevices;

/// <summary>
/// Where a seed-device order stands: Requested → Approved → Shipped → Delivered → Loading → Loaded → ReturnShipped →
/// Received → Ingesting → Ingested → Closed; Cancelled from Requested or Approved (before anything was shipped).
/// A failed ingest goes back to Received so it can be tried again. Transitions are <see cref="SeedDeviceOrder"/> methods.
/// </summary>
public enum SeedDeviceOrderStatus
{
    Requested = 0,
    Approved = 1,
    Shipped = 2,
    Delivered = 3,
    Loading = 4,
    Loaded = 5,
    ReturnShipped = 6,
    Received = 7,
    Ingesting = 8,
    Ingested = 9,
    Closed = 10,
    Cancelled = 11,
}
