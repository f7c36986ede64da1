using ProviderPortal.Web.Features.Audit;

namespace ProviderPortal.Web.Tests.Features.Audit;

public sealed class AuditChangesTests
{
    [Fact]
    public void Describe_UpdatedAndCreatedValues_ReadsAsBeforeArrowAfter()
    {
        var lines = AuditChanges.Describe("""{"Name":{"before":"Old","after":"New"},"Slug":{"after":"acme"},"Id":{"before":"42"},"Reason":{"before":null,"after":"late"}}""");

        Assert.Equal(["Name: Old → New", "Slug: acme", "Id: 42", "Reason: (empty) → late"], lines);
    }

    [Fact]
    public void Describe_NotJson_ShowsTheTextAsIs()
    {
        Assert.Equal(["not json"], AuditChanges.Describe("not json"));
    }
}
