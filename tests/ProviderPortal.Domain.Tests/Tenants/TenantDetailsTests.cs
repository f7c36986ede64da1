using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests.Tenants;

public class TenantDetailsTests
{
    [Fact]
    public void Validate_ValidDetails_ReturnsNoErrors()
    {
        Assert.Empty(Given.ValidDetails().Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankName_AsksForTheName(string name)
    {
        var errors = (Given.ValidDetails() with { Name = name }).Validate();

        Assert.Equal("Enter the tenant's name.", Assert.Single(errors, e => e.Key == nameof(TenantDetails.Name)).Value);
        Assert.Single(errors);
    }

    [Fact]
    public void Validate_NameOfMaximumLengthWithSpaces_IsAccepted()
    {
        var name = "  " + new string('a', TenantDetails.MaxNameLength) + "  ";

        Assert.Empty((Given.ValidDetails() with { Name = name }).Validate());
    }

    [Fact]
    public void Validate_NameTooLong_SaysTheLimit()
    {
        var errors = (Given.ValidDetails() with { Name = new string('a', TenantDetails.MaxNameLength + 1) }).Validate();

        Assert.Equal("The name can be at most 100 characters.", errors[nameof(TenantDetails.Name)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("1acme")]
    [InlineData("acme-")]
    public void Validate_InvalidSlug_ExplainsTheShortNameRule(string slug)
    {
        var errors = (Given.ValidDetails() with { Slug = slug }).Validate();

        Assert.StartsWith("The short name must be 2 to 40 lower-case letters", errors[nameof(TenantDetails.Slug)], StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_BlankContactName_AsksForTheContactPerson(string contactName)
    {
        var errors = (Given.ValidDetails() with { ContactName = contactName }).Validate();

        Assert.Equal("Enter the name of the tenant's contact person.", errors[nameof(TenantDetails.ContactName)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ada")]
    [InlineData("ada@localhost")]
    public void Validate_InvalidContactEmail_ShowsAnExample(string email)
    {
        var errors = (Given.ValidDetails() with { ContactEmail = email }).Validate();

        Assert.Equal("Enter a valid email address, like name@example.com.", errors[nameof(TenantDetails.ContactEmail)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void Validate_UnknownTimeZone_AsksToChooseFromTheList(string timeZoneId)
    {
        var errors = (Given.ValidDetails() with { TimeZoneId = timeZoneId }).Validate();

        Assert.Equal("Choose a time zone from the list.", errors[nameof(TenantDetails.TimeZoneId)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TenantDetails.MaxConcurrentReplicationsLimit + 1)]
    public void Validate_ConcurrentReplicationsOutOfRange_SaysTheRange(int value)
    {
        var errors = (Given.ValidDetails() with { MaxConcurrentReplications = value }).Validate();

        Assert.Equal("Concurrent replications must be between 1 and 100.", errors[nameof(TenantDetails.MaxConcurrentReplications)]);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TenantDetails.MaxConcurrentReplicationsLimit)]
    public void Validate_ConcurrentReplicationsAtBounds_IsAccepted(int value)
    {
        Assert.Empty((Given.ValidDetails() with { MaxConcurrentReplications = value }).Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TenantDetails.MaxBandwidthCapMbps + 1)]
    public void Validate_BandwidthCapOutOfRange_SaysTheRange(int value)
    {
        var errors = (Given.ValidDetails() with { BandwidthCapMbps = value }).Validate();

        Assert.StartsWith("The bandwidth cap must be between 1 and 400", errors[nameof(TenantDetails.BandwidthCapMbps)], StringComparison.Ordinal);
        Assert.EndsWith("000 Mbit/s.", errors[nameof(TenantDetails.BandwidthCapMbps)], StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TenantDetails.MaxBandwidthCapMbps)]
    public void Validate_BandwidthCapAtBounds_IsAccepted(int value)
    {
        Assert.Empty((Given.ValidDetails() with { BandwidthCapMbps = value }).Validate());
    }

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryField()
    {
        var errors = new TenantDetails("", "X", "", "nope", "nowhere", 0, 0).Validate();

        Assert.Equal(
            [
                nameof(TenantDetails.BandwidthCapMbps),
                nameof(TenantDetails.ContactEmail),
                nameof(TenantDetails.ContactName),
                nameof(TenantDetails.MaxConcurrentReplications),
                nameof(TenantDetails.Name),
                nameof(TenantDetails.Slug),
                nameof(TenantDetails.TimeZoneId),
            ],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_ContactNameOf5000Characters_SaysTheLimit()
    {
        var errors = (Given.ValidDetails() with { ContactName = new string('c', 5000) }).Validate();

        Assert.Equal("The contact name can be at most 200 characters.", errors[nameof(TenantDetails.ContactName)]);
        Assert.Single(errors);
    }

    [Fact]
    public void Validate_ContactEmailOf5000Characters_SaysTheLimitNotThatItIsMalformed()
    {
        var errors = (Given.ValidDetails() with { ContactEmail = new string('a', 4988) + "@example.com" }).Validate();

        Assert.Equal("An email address can be at most 254 characters.", errors[nameof(TenantDetails.ContactEmail)]);
    }
}
