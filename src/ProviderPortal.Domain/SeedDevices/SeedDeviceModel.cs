namespace ProviderPortal.Domain.SeedDevices;

/// <summary>What a ProviderAdmin sets for a device model of the catalog.</summary>
/// <param name="TransferBytesPerSecond">How fast the worker writes the seed onto it at the customer's site.</param>
/// <param name="IngestBytesPerSecond">How fast the provider reads and verifies it at ingest.</param>
/// <param name="HandlingDays">Days the provider needs to prepare and dispatch a device before it ships.</param>
public sealed record SeedDeviceModelDetails(
    string Name, long UsableCapacityBytes, long TransferBytesPerSecond, int ShippingDaysEachWay, long IngestBytesPerSecond = 400_000_000, int HandlingDays = 1)
{
    public const int MaxNameLength = 100;

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = "Enter the model's name.";
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (UsableCapacityBytes < 1L << 30)
        {
            errors[nameof(UsableCapacityBytes)] = "A device holds at least 1 GiB.";
        }

        if (TransferBytesPerSecond < 1_000_000)
        {
            errors[nameof(TransferBytesPerSecond)] = "The transfer speed must be at least 1 MB/s.";
        }

        if (ShippingDaysEachWay is < 0 or > 60)
        {
            errors[nameof(ShippingDaysEachWay)] = "Shipping takes between 0 and 60 days each way.";
        }

        if (IngestBytesPerSecond < 1_000_000)
        {
            errors[nameof(IngestBytesPerSecond)] = "The ingest speed must be at least 1 MB/s.";
        }

        if (HandlingDays is < 0 or > 30)
        {
            errors[nameof(HandlingDays)] = "Handling takes between 0 and 30 days.";
        }

        return errors;
    }
}

/// <summary>A device model of the provider's catalog (not a tenant's): how much it holds, how fast it loads, how long it travels.</summary>
public sealed class SeedDeviceModel
{
    private SeedDeviceModel()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public long UsableCapacityBytes { get; private set; }

    public long TransferBytesPerSecond { get; private set; }

    public int ShippingDaysEachWay { get; private set; }

    public long IngestBytesPerSecond { get; private set; }

    public int HandlingDays { get; private set; }

    /// <summary>A retired model takes no new orders; orders already placed go on.</summary>
    public bool Retired { get; private set; }

    public static SeedDeviceModel Create(SeedDeviceModelDetails details)
    {
        ThrowIfInvalid(details);
        var model = new SeedDeviceModel { Id = Guid.NewGuid() };
        model.Apply(details);
        return model;
    }

    public void Update(SeedDeviceModelDetails details)
    {
        ThrowIfInvalid(details);
        Apply(details);
    }

    public void Retire() => Retired = true;

    /// <summary>How many devices of this model hold <paramref name="bytes"/> (at least one).</summary>
    public int DevicesFor(long bytes)
    {
        if (bytes <= 0)
        {
            throw new DomainException("There is nothing to load: the plan's VMs hold no allocated data.");
        }

        return (int)((bytes + UsableCapacityBytes - 1) / UsableCapacityBytes);
    }

    /// <summary>How long loading <paramref name="bytes"/> takes at the model's speed (devices loaded one after another).</summary>
    public TimeSpan LoadTime(long bytes) => TimeSpan.FromSeconds((double)Math.Max(0, bytes) / TransferBytesPerSecond);

    private void Apply(SeedDeviceModelDetails details)
    {
        Name = details.Name.Trim();
        UsableCapacityBytes = details.UsableCapacityBytes;
        TransferBytesPerSecond = details.TransferBytesPerSecond;
        ShippingDaysEachWay = details.ShippingDaysEachWay;
        IngestBytesPerSecond = details.IngestBytesPerSecond;
        HandlingDays = details.HandlingDays;
    }

    public SeedDeviceModelDetails ToDetails() =>
        new(Name, UsableCapacityBytes, TransferBytesPerSecond, ShippingDaysEachWay, IngestBytesPerSecond, HandlingDays);

    /// <summary>The model as the assessment's forecast sees it (choosing between the network and a device round trip).</summary>
    public Assessments.SeedDeviceModel ToForecastDevice() =>
        new(Name, UsableCapacityBytes, ShippingDaysEachWay, TransferBytesPerSecond, IngestBytesPerSecond, HandlingDays);

    private static void ThrowIfInvalid(SeedDeviceModelDetails details)
    {
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }
    }
}
