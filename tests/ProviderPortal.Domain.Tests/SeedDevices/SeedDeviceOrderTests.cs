using ProviderPortal.Domain.SeedDevices;

namespace ProviderPortal.Domain.Tests.SeedDevices;

/// <summary>The seed-device catalog, sizing, the shipping address, and every transition of an order, allowed and refused.</summary>
public class SeedDeviceOrderTests
{
    private const long GiB = 1L << 30;
    private static readonly SeedDeviceModelDetails Rugged = new("8 TB rugged disk", 8000L * GiB, 250_000_000, 2);
    private static readonly ShippingAddress Address = new("Ada Lovelace", "Acme", "1 rue de la Paix", null, "75002", "Paris", "FR", "Ada Lovelace", "ada@acme.example", "+33 1 23 45 67 89");

    /// <summary>Each action, the one state it moves from, and the state it moves to.</summary>
    private static readonly Dictionary<string, (SeedDeviceOrderStatus From, SeedDeviceOrderStatus To, Action<SeedDeviceOrder> Act)> Actions = new()
    {
        ["approve"] = (SeedDeviceOrderStatus.Requested, SeedDeviceOrderStatus.Approved, o => o.Approve(Given.Now)),
        ["ship"] = (SeedDeviceOrderStatus.Approved, SeedDeviceOrderStatus.Shipped, o => o.Ship("DHL", "JD0146", Given.Now)),
        ["deliver"] = (SeedDeviceOrderStatus.Shipped, SeedDeviceOrderStatus.Delivered, o => o.MarkDelivered(Given.Now)),
        ["load"] = (SeedDeviceOrderStatus.Delivered, SeedDeviceOrderStatus.Loading, o => o.StartLoading(Given.Now)),
        ["loaded"] = (SeedDeviceOrderStatus.Loading, SeedDeviceOrderStatus.Loaded, o => o.ConfirmLoaded(Given.Now)),
        ["ship back"] = (SeedDeviceOrderStatus.Loaded, SeedDeviceOrderStatus.ReturnShipped, o => o.ShipBack("UPS", "1Z999", Given.Now)),
        ["receive"] = (SeedDeviceOrderStatus.ReturnShipped, SeedDeviceOrderStatus.Received, o => o.MarkReceived(Given.Now)),
        ["ingest"] = (SeedDeviceOrderStatus.Received, SeedDeviceOrderStatus.Ingesting, o => o.StartIngest(Given.Now)),
        ["ingested"] = (SeedDeviceOrderStatus.Ingesting, SeedDeviceOrderStatus.Ingested, o => o.FinishIngest(1200, Given.Now)),
        ["ingest failed"] = (SeedDeviceOrderStatus.Ingesting, SeedDeviceOrderStatus.Received, o => o.FailIngest("chunk 17 does not match its hash", Given.Now)),
        ["close"] = (SeedDeviceOrderStatus.Ingested, SeedDeviceOrderStatus.Closed, o => o.Close(Given.Now)),
    };

    private static readonly string[] Path = ["approve", "ship", "deliver", "load", "loaded", "ship back", "receive", "ingest", "ingested", "close"];

    private static SeedDeviceOrder Placed() => SeedDeviceOrder.Place(Guid.NewGuid(), SeedDeviceModel.Create(Rugged), 3000L * GiB, Address, "ada", Given.Now);

    private static SeedDeviceOrder InState(SeedDeviceOrderStatus status)
    {
        var order = Placed();
        if (status == SeedDeviceOrderStatus.Cancelled)
        {
            order.Cancel("not needed", Given.Now);
            return order;
        }

        foreach (var step in Path)
        {
            if (order.Status == status)
            {
                break;
            }

            Actions[step].Act(order);
        }

        Assert.Equal(status, order.Status);
        return order;
    }

    public static TheoryData<string, SeedDeviceOrderStatus> EveryActionFromEveryState()
    {
        var data = new TheoryData<string, SeedDeviceOrderStatus>();
        foreach (var action in Actions.Keys)
        {
            foreach (var status in Enum.GetValues<SeedDeviceOrderStatus>())
            {
                data.Add(action, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryActionFromEveryState))]
    public void Action_MovesOnlyFromItsOwnState(string action, SeedDeviceOrderStatus status)
    {
        var order = InState(status);
        var (from, to, act) = Actions[action];

        if (status == from)
        {
            act(order);
            Assert.Equal(to, order.Status);
            Assert.Equal(Given.Now, order.Steps[to]);
        }
        else
        {
            var error = Assert.Throws<DomainException>(() => act(order));
            Assert.StartsWith($"An order that is {SeedDeviceOrder.Describe(status)} cannot ", error.Message, StringComparison.Ordinal);
            Assert.Equal(status, order.Status);
        }
    }

    [Theory]
    [InlineData(SeedDeviceOrderStatus.Requested)]
    [InlineData(SeedDeviceOrderStatus.Approved)]
    public void Cancel_BeforeShipping_IsAllowedWithAReason(SeedDeviceOrderStatus status)
    {
        var order = InState(status);

        Assert.Throws<DomainException>(() => order.Cancel(" ", Given.Now));
        Assert.Equal(status, order.Status);
        order.Cancel("the network is fast enough", Given.Now);

        Assert.Equal(SeedDeviceOrderStatus.Cancelled, order.Status);
        Assert.Equal("the network is fast enough", order.Reason);
    }

    [Theory]
    [InlineData(SeedDeviceOrderStatus.Shipped)]
    [InlineData(SeedDeviceOrderStatus.Loading)]
    [InlineData(SeedDeviceOrderStatus.Ingested)]
    [InlineData(SeedDeviceOrderStatus.Closed)]
    public void Cancel_OnceShipped_IsRefused(SeedDeviceOrderStatus status)
    {
        var error = Assert.Throws<DomainException>(() => InState(status).Cancel("too late", Given.Now));

        Assert.EndsWith("cannot be cancelled: the devices are already on their way.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ship_WithoutTracking_IsRefusedAndChangesNothing()
    {
        var order = InState(SeedDeviceOrderStatus.Approved);

        Assert.Equal("Enter the carrier and its tracking number.", Assert.Throws<DomainException>(() => order.Ship("DHL", " ", Given.Now)).Message);

        Assert.Equal(SeedDeviceOrderStatus.Approved, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public void FailIngest_KeepsTheReason_AndTheIngestCanBeTriedAgain()
    {
        var order = InState(SeedDeviceOrderStatus.Ingesting);

        order.FailIngest("chunk 17 does not match its hash", Given.Now);
        Assert.Equal("chunk 17 does not match its hash", order.Reason);
        order.StartIngest(Given.Now);
        order.FinishIngest(1200, Given.Now);

        Assert.Equal(SeedDeviceOrderStatus.Ingested, order.Status);
        Assert.Null(order.Reason);
        Assert.Equal(1200, order.VerifiedChunks);
    }

    [Fact]
    public void Place_SizesTheOrder_ExactFitOneDevice_OneByteMoreTwo()
    {
        var model = SeedDeviceModel.Create(Rugged);

        Assert.Equal(1, model.DevicesFor(8000L * GiB));
        Assert.Equal(2, model.DevicesFor(8000L * GiB + 1));
        Assert.Equal(3, SeedDeviceOrder.Place(Guid.NewGuid(), model, 20_000L * GiB, Address, "ada", Given.Now).DeviceCount);
        Assert.Equal(TimeSpan.FromSeconds(8000L * GiB / 250_000_000.0), model.LoadTime(8000L * GiB));
    }

    [Fact]
    public void Place_NothingToLoad_IsRefused() =>
        Assert.Throws<DomainException>(() => SeedDeviceOrder.Place(Guid.NewGuid(), SeedDeviceModel.Create(Rugged), 0, Address, "ada", Given.Now));

    [Fact]
    public void Place_RetiredModel_IsRefused()
    {
        var model = SeedDeviceModel.Create(Rugged);
        model.Retire();

        Assert.Equal("The device 8 TB rugged disk is no longer offered; choose another one.",
            Assert.Throws<DomainException>(() => SeedDeviceOrder.Place(Guid.NewGuid(), model, GiB, Address, "ada", Given.Now)).Message);
    }

    [Theory]
    [InlineData("Country", "France", "Choose the country from the list.")]
    [InlineData("Country", "XX", "Choose the country from the list.")]
    [InlineData("ContactEmail", "ada at acme", "Enter the contact's email address, such as ops@example.com.")]
    [InlineData("City", "", "Enter the city.")]
    [InlineData("Phone", " ", "Enter a phone number the carrier can call.")]
    public void Address_Invalid_SaysWhatToFix(string field, string value, string message)
    {
        var address = field switch
        {
            "Country" => Address with { Country = value },
            "ContactEmail" => Address with { ContactEmail = value },
            "City" => Address with { City = value },
            _ => Address with { Phone = value },
        };

        Assert.Equal(message, address.Validate()[field]);
        Assert.Throws<DomainException>(() => SeedDeviceOrder.Place(Guid.NewGuid(), SeedDeviceModel.Create(Rugged), GiB, address, "ada", Given.Now));
    }

    [Fact]
    public void Address_Valid_HasNoErrors() => Assert.Empty(Address.Validate());

    [Theory]
    [InlineData("EU")] // the European Union: .NET knows it as a region, but no carrier ships to it
    [InlineData("UN")]
    [InlineData("ZZ")]
    [InlineData("QO")]
    [InlineData("de")]
    [InlineData("Germany")]
    public void Address_CountryThatIsNoIsoCountryCode_Refused(string country)
    {
        var address = Address with { Country = country };

        Assert.Equal("Choose the country from the list.", address.Validate()["Country"]);
        Assert.Throws<DomainException>(() => SeedDeviceOrder.Place(Guid.NewGuid(), SeedDeviceModel.Create(Rugged), GiB, address, "ada", Given.Now));
    }

    [Fact]
    public void Countries_List_EveryIsoCodeOnceWithItsEnglishName()
    {
        Assert.Equal(249, Countries.All.Count);
        Assert.Equal(Countries.All.Count, Countries.All.Select(c => c.Code).Distinct().Count());
        Assert.Equal("Germany", Countries.NameOf("DE"));
        Assert.Equal("Georgia", Countries.NameOf("GE"));
        Assert.Null(Countries.NameOf("EU"));
    }

    [Fact]
    public void Model_Invalid_SaysWhatToFix()
    {
        var errors = new SeedDeviceModelDetails("", 1000, 10, 90).Validate();

        Assert.Equal("Enter the model's name.", errors["Name"]);
        Assert.Equal("A device holds at least 1 GiB.", errors["UsableCapacityBytes"]);
        Assert.Equal("The transfer speed must be at least 1 MB/s.", errors["TransferBytesPerSecond"]);
        Assert.Equal("Shipping takes between 0 and 60 days each way.", errors["ShippingDaysEachWay"]);
        Assert.Throws<DomainException>(() => SeedDeviceModel.Create(new SeedDeviceModelDetails("", 1000, 10, 90)));
    }

    [Fact]
    public void AttachKey_OnceOnly_NeverEmpty()
    {
        var order = Placed();
        Assert.Equal("The device key is missing.", Assert.Throws<DomainException>(() => order.AttachKey(" ")).Message);

        order.AttachKey("CfDJ8-protected");
        Assert.Equal("CfDJ8-protected", order.ProtectedKey);
        Assert.Equal("The order already has its device key.", Assert.Throws<DomainException>(() => order.AttachKey("another")).Message);
        Assert.Equal("CfDJ8-protected", order.ProtectedKey);
    }

    [Fact]
    public void Model_ForecastDevice_CarriesEveryFigureTheForecastUses()
    {
        var model = SeedDeviceModel.Create(Rugged with { IngestBytesPerSecond = 400_000_000, HandlingDays = 2 });

        var device = model.ToForecastDevice();

        Assert.Equal((Rugged.Name, 8000L * GiB, 2d, 250_000_000d, 400_000_000d, 2d),
            (device.Name, device.CapacityBytes, device.ShippingDaysEachWay, device.LoadBytesPerSecond, device.IngestBytesPerSecond, device.HandlingDays));
        Assert.Equal(model.ToDetails(), Rugged with { IngestBytesPerSecond = 400_000_000, HandlingDays = 2 });
    }

    [Theory]
    [InlineData("Recipient", 201, "The recipient can be at most 200 characters.")]
    [InlineData("Company", 201, "The company can be at most 200 characters.")]
    [InlineData("Street", 201, "The street can be at most 200 characters.")]
    [InlineData("Street2", 201, "The second street line can be at most 200 characters.")]
    [InlineData("PostalCode", 21, "The postal code can be at most 20 characters.")]
    [InlineData("City", 101, "The city can be at most 100 characters.")]
    [InlineData("ContactName", 201, "The contact's name can be at most 200 characters.")]
    [InlineData("Phone", 41, "The phone number can be at most 40 characters.")]
    [InlineData("Recipient", 5000, "The recipient can be at most 200 characters.")]
    public void Address_FieldOverItsLimit_SaysTheLimitNotThatItIsMissing(string field, int length, string message)
    {
        var text = new string('x', length);
        var address = field switch
        {
            "Recipient" => Address with { Recipient = text },
            "Company" => Address with { Company = text },
            "Street" => Address with { Street = text },
            "Street2" => Address with { Street2 = text },
            "PostalCode" => Address with { PostalCode = text },
            "City" => Address with { City = text },
            "ContactName" => Address with { ContactName = text },
            _ => Address with { Phone = text },
        };

        Assert.Equal(message, Assert.Single(address.Validate()).Value);
    }

    [Fact]
    public void Address_EveryFieldAtItsLimit_IsAccepted()
    {
        var address = new ShippingAddress(new string('r', 200), new string('c', 200), new string('s', 200), new string('t', 200), new string('1', 20), new string('p', 100), "DE",
            new string('n', 200), "ops@example.com", new string('9', 40));

        Assert.Empty(address.Validate());
    }

    [Fact]
    public void Address_ContactEmailOver254Characters_SaysTheLimit() =>
        Assert.Equal("An email address can be at most 254 characters.", (Address with { ContactEmail = new string('a', 4988) + "@example.com" }).Validate()["ContactEmail"]);

    [Theory]
    [InlineData(101, 10)]
    [InlineData(10, 101)]
    public void Ship_CarrierOrTrackingOver100Characters_RefusedAndStillApproved(int carrier, int tracking)
    {
        var order = InState(SeedDeviceOrderStatus.Approved);

        var error = Assert.Throws<DomainException>(() => order.Ship(new string('c', carrier), new string('t', tracking), Given.Now));

        Assert.Equal(carrier > 100 ? "The carrier can be at most 100 characters." : "The tracking number can be at most 100 characters.", error.Message);
        Assert.Equal(SeedDeviceOrderStatus.Approved, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public void ShipBack_CarrierOf5000Characters_Refused()
    {
        var order = InState(SeedDeviceOrderStatus.Loaded);

        Assert.Equal("The carrier can be at most 100 characters.", Assert.Throws<DomainException>(() => order.ShipBack(new string('c', 5000), "1Z", Given.Now)).Message);
        Assert.Equal(SeedDeviceOrderStatus.Loaded, order.Status);
    }
}
