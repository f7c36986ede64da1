using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests.Tenants;

public class TenantSlugTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("acme-corp")]
    [InlineData("a1")]
    [InlineData("a-b-9")]
    public void IsValid_LowerCaseLettersDigitsAndHyphens_ReturnsTrue(string slug)
    {
        Assert.True(TenantSlug.IsValid(slug));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("Acme")]
    [InlineData("9acme")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("acme corp")]
    [InlineData("acme_corp")]
    [InlineData("acmé")]
    public void IsValid_BrokenRule_ReturnsFalse(string? slug)
    {
        Assert.False(TenantSlug.IsValid(slug));
    }

    [Fact]
    public void IsValid_LengthLimit_AcceptsFortyAndRefusesFortyOne()
    {
        Assert.True(TenantSlug.IsValid(new string('a', TenantDetails.MaxSlugLength)));
        Assert.False(TenantSlug.IsValid(new string('a', TenantDetails.MaxSlugLength + 1)));
    }

    [Theory]
    [InlineData("Acme Corp", "acme-corp")]
    [InlineData("  Acme   Corp!  ", "acme-corp")]
    [InlineData("Acme -- Corp", "acme-corp")]
    [InlineData("Müller & Söhne GmbH", "muller-sohne-gmbh")]
    [InlineData("42 Networks", "t-42-networks")]
    public void Suggest_Name_MakesSlugFromIt(string name, string expected)
    {
        Assert.Equal(expected, TenantSlug.Suggest(name));
    }

    [Theory]
    [InlineData("Acme Corp")]
    [InlineData("42 Networks")]
    [InlineData("The Very Long Name Of A Hosting Company Incorporated Limited")]
    public void Suggest_OrdinaryName_ReturnsValidSlug(string name)
    {
        Assert.True(TenantSlug.IsValid(TenantSlug.Suggest(name)));
    }

    [Fact]
    public void Suggest_LongName_CutsToLimitWithoutTrailingHyphen()
    {
        // Position 40 falls right after a word, so the cut would end in a hyphen.
        var name = new string('a', 39) + " bcd";

        var slug = TenantSlug.Suggest(name);

        Assert.Equal(new string('a', 39), slug);
    }

    [Fact]
    public void Suggest_LongNameStartingWithDigit_StaysWithinLimit()
    {
        var slug = TenantSlug.Suggest("1" + new string('a', 45));

        Assert.Equal("t-1" + new string('a', TenantDetails.MaxSlugLength - 3), slug);
        Assert.True(TenantSlug.IsValid(slug));
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("A")]
    [InlineData("   ")]
    public void Suggest_NameWithoutEnoughLettersOrDigits_SuggestsNothing(string name)
    {
        Assert.Equal("", TenantSlug.Suggest(name));
    }
}
