using ProviderPortal.Web.Features.Audit;

namespace ProviderPortal.Web.Tests.Features.Audit;

public sealed class AuditChangesTests
{
    [Fact]
    public void Describe_UpdatedAndCreatedValues_ReadsAsBeforeArrowAfterWithoutTheRowsOwnKey()
    {
        var lines = AuditChanges.Describe("Thing", """{"Name":{"before":"Old","after":"New"},"Slug":{"after":"acme"},"Id":{"before":"42"},"Reason":{"before":null,"after":"late"},"StartOnDestination":{"after":false}}""", AuditWording.Plain);

        Assert.Equal(["Name: Old → New", "Slug: acme", "Reason: (empty) → late", "Start on destination: no"], lines);
    }

    [Fact]
    public void Describe_NotJson_ShowsTheTextAsIs()
    {
        Assert.Equal(["not json"], AuditChanges.Describe("Thing", "not json", AuditWording.Plain));
    }

    [Fact]
    public void Entity_TypeName_InWords()
    {
        Assert.Equal(("Migration plan", "Worker session", "Seed device order"),
            (AuditChanges.Entity("MigrationPlan"), AuditChanges.Entity("WorkerSession"), AuditChanges.Entity("SeedDeviceOrder")));
    }
}
