namespace ProviderPortal.Domain.SeedDevices;

/// <summary>
/// A tenant's order of seed devices for a plan's baseline: sized from the plan's allocated bytes, shipped to the tenant,
/// loaded there (encrypted) by the worker, shipped back and ingested into the destination by the provider. States in
/// <see cref="SeedDeviceOrderStatus"/>. Staff approve, ship, mark delivered and received, and ingest; the tenant loads,
/// confirms and ships back; either may cancel before anything was shipped.
/// </summary>
public sealed class SeedDeviceOrder : ITenantOwned
{
    public const int MaxReasonLength = 500;
    public const int MaxCarrierLength = 100;
    public const int MaxTrackingNumberLength = 100;

    private SeedDeviceOrder()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid PlanId { get; private set; }

    public Guid ModelId { get; private set; }

    public string ModelName { get; private set; } = "";

    public int DeviceCount { get; private set; }

    public long BytesToLoad { get; private set; }

    public ShippingAddress Address { get; private set; } = default!;

    public SeedDeviceOrderStatus Status { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public string RequestedBy { get; private set; } = "";

    public string? Carrier { get; private set; }

    public string? TrackingNumber { get; private set; }

    public string? ReturnCarrier { get; private set; }

    public string? ReturnTrackingNumber { get; private set; }

    /// <summary>When each step happened, by status.</summary>
    public Dictionary<SeedDeviceOrderStatus, DateTimeOffset> Steps { get; private set; } = [];

    /// <summary>Why it was cancelled, or why the last ingest failed.</summary>
    public string? Reason { get; private set; }

    /// <summary>
    /// The order's 256-bit device key, encrypted by the portal (never the key itself): the worker encrypts the chunks it
    /// writes onto the devices with it, the ingest decrypts them, and it is never written to a device.
    /// </summary>
    public string? ProtectedKey { get; private set; }

    /// <summary>How many chunks the ingest verified (their hashes matched the manifest).</summary>
    public long? VerifiedChunks { get; private set; }

    public static SeedDeviceOrder Place(Guid planId, SeedDeviceModel model, long bytesToLoad, ShippingAddress address, string requestedBy, DateTimeOffset now)
    {
        if (model.Retired)
        {
            throw new DomainException($"The device {model.Name} is no longer offered; choose another one.");
        }

        var errors = address.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }

        var order = new SeedDeviceOrder
        {
            Id = Guid.NewGuid(),
            PlanId = planId,
            ModelId = model.Id,
            ModelName = model.Name,
            DeviceCount = model.DevicesFor(bytesToLoad),
            BytesToLoad = bytesToLoad,
            Address = address,
            Status = SeedDeviceOrderStatus.Requested,
            RequestedAt = now,
            RequestedBy = requestedBy,
        };
        order.Steps[SeedDeviceOrderStatus.Requested] = now;
        return order;
    }

    /// <summary>Gives the order its device key (encrypted by the portal); an order's key never changes once set.</summary>
    public void AttachKey(string protectedKey)
    {
        if (string.IsNullOrWhiteSpace(protectedKey))
        {
            throw new DomainException("The device key is missing.");
        }

        if (ProtectedKey is not null)
        {
            throw new DomainException("The order already has its device key.");
        }

        ProtectedKey = protectedKey;
    }

    /// <summary>Staff: Requested → Approved.</summary>
    public void Approve(DateTimeOffset now) => Move(SeedDeviceOrderStatus.Requested, SeedDeviceOrderStatus.Approved, "be approved", now);

    /// <summary>Staff: Approved → Shipped, with the carrier and its tracking number.</summary>
    public void Ship(string carrier, string trackingNumber, DateTimeOffset now)
    {
        var (c, t) = RequireTracking(carrier, trackingNumber);
        Move(SeedDeviceOrderStatus.Approved, SeedDeviceOrderStatus.Shipped, "be shipped", now);
        Carrier = c;
        TrackingNumber = t;
    }

    /// <summary>Staff (from the carrier's tracking): Shipped → Delivered.</summary>
    public void MarkDelivered(DateTimeOffset now) => Move(SeedDeviceOrderStatus.Shipped, SeedDeviceOrderStatus.Delivered, "be marked delivered", now);

    /// <summary>Tenant: Delivered → Loading (the devices are attached and the worker writes the baseline onto them).</summary>
    public void StartLoading(DateTimeOffset now) => Move(SeedDeviceOrderStatus.Delivered, SeedDeviceOrderStatus.Loading, "start loading", now);

    /// <summary>Tenant: Loading → Loaded.</summary>
    public void ConfirmLoaded(DateTimeOffset now) => Move(SeedDeviceOrderStatus.Loading, SeedDeviceOrderStatus.Loaded, "be confirmed loaded", now);

    /// <summary>Tenant: Loaded → ReturnShipped, with the return carrier and tracking number.</summary>
    public void ShipBack(string carrier, string trackingNumber, DateTimeOffset now)
    {
        var (c, t) = RequireTracking(carrier, trackingNumber);
        Move(SeedDeviceOrderStatus.Loaded, SeedDeviceOrderStatus.ReturnShipped, "be shipped back", now);
        ReturnCarrier = c;
        ReturnTrackingNumber = t;
    }

    /// <summary>Staff: ReturnShipped → Received.</summary>
    public void MarkReceived(DateTimeOffset now) => Move(SeedDeviceOrderStatus.ReturnShipped, SeedDeviceOrderStatus.Received, "be marked received", now);

    /// <summary>Staff: Received → Ingesting (again after a failed ingest).</summary>
    public void StartIngest(DateTimeOffset now)
    {
        Move(SeedDeviceOrderStatus.Received, SeedDeviceOrderStatus.Ingesting, "start its ingest", now);
        Reason = null;
    }

    /// <summary>Staff: Ingesting → Ingested, every chunk verified against the manifest.</summary>
    public void FinishIngest(long verifiedChunks, DateTimeOffset now)
    {
        if (verifiedChunks < 1)
        {
            throw new DomainException("An ingest verifies at least one chunk.");
        }

        Move(SeedDeviceOrderStatus.Ingesting, SeedDeviceOrderStatus.Ingested, "finish its ingest", now);
        VerifiedChunks = verifiedChunks;
    }

    /// <summary>Staff: Ingesting → Received: a chunk failed verification (or the device could not be read); the ingest can be tried again.</summary>
    public void FailIngest(string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        Move(SeedDeviceOrderStatus.Ingesting, SeedDeviceOrderStatus.Received, "fail its ingest", now);
        Reason = why;
    }

    /// <summary>Staff: Ingested → Closed (the devices are wiped and back in stock).</summary>
    public void Close(DateTimeOffset now) => Move(SeedDeviceOrderStatus.Ingested, SeedDeviceOrderStatus.Closed, "be closed", now);

    /// <summary>Either side, before anything was shipped: Requested or Approved → Cancelled.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        var why = RequireReason(reason);
        if (Status is not (SeedDeviceOrderStatus.Requested or SeedDeviceOrderStatus.Approved))
        {
            throw new DomainException(Status == SeedDeviceOrderStatus.Cancelled
                ? "The order is already cancelled."
                : $"An order that is {Describe(Status)} cannot be cancelled: the devices are already on their way.");
        }

        Status = SeedDeviceOrderStatus.Cancelled;
        Steps[SeedDeviceOrderStatus.Cancelled] = now;
        Reason = why;
    }

    public static string Describe(SeedDeviceOrderStatus status) => status switch
    {
        SeedDeviceOrderStatus.ReturnShipped => "shipped back",
        _ => status.ToString().ToLowerInvariant(),
    };

    private void Move(SeedDeviceOrderStatus from, SeedDeviceOrderStatus to, string action, DateTimeOffset now)
    {
        if (Status != from)
        {
            throw new DomainException($"An order that is {Describe(Status)} cannot {action}.");
        }

        Status = to;
        Steps[to] = now;
    }

    private static (string Carrier, string Tracking) RequireTracking(string carrier, string trackingNumber)
    {
        if (string.IsNullOrWhiteSpace(carrier) || string.IsNullOrWhiteSpace(trackingNumber))
        {
            throw new DomainException("Enter the carrier and its tracking number.");
        }

        if (carrier.Trim().Length > MaxCarrierLength)
        {
            throw new DomainException($"The carrier can be at most {MaxCarrierLength} characters.");
        }

        if (trackingNumber.Trim().Length > MaxTrackingNumberLength)
        {
            throw new DomainException($"The tracking number can be at most {MaxTrackingNumberLength} characters.");
        }

        return (carrier.Trim(), trackingNumber.Trim());
    }

    private static string RequireReason(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("Give a reason.");
        }

        var trimmed = reason.Trim();
        return trimmed.Length > MaxReasonLength ? throw new DomainException($"The reason can be at most {MaxReasonLength} characters.") : trimmed;
    }
}
