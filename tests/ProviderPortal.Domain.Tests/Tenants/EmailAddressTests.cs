using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests.Tenants;

public class EmailAddressTests
{
    [Theory]
    [InlineData("ada@acme.example")]
    [InlineData("first.last+tag@sub.acme.example")]
    public void IsValid_OrdinaryAddress_ReturnsTrue(string address)
    {
        Assert.True(EmailAddress.IsValid(address));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ada")]
    [InlineData("ada@")]
    [InlineData("@acme.example")]
    [InlineData("ada@localhost")]
    [InlineData(" ada@acme.example")]
    [InlineData("ada@acme.example ")]
    [InlineData("Ada Lovelace <ada@acme.example>")]
    public void IsValid_NotAPlainAddress_ReturnsFalse(string? address)
    {
        Assert.False(EmailAddress.IsValid(address));
    }

    [Fact]
    public void IsValid_LongerThan254Characters_ReturnsFalse()
    {
        var address = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 3)) + ".example";

        Assert.True(address.Length > 254);
        Assert.False(EmailAddress.IsValid(address));
    }

    [Fact]
    public void Normalize_MixedCaseWithSpaces_TrimsAndLowers()
    {
        Assert.Equal("ada@acme.example", EmailAddress.Normalize("  Ada@ACME.example "));
    }
}
