using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests;

/// <summary>The shared setup of the domain tests: valid inputs that each test changes one thing of.</summary>
internal static class Given
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static TenantDetails ValidDetails() =>
        new("Acme Corp", "acme-corp", "Ada Lovelace", "ada@acme.example", "UTC", 4, 1000);

    /// <summary>A draft plan of one VM, for the replications and copies that belong to a plan.</summary>
    public static MigrationPlan Plan() =>
        MigrationPlan.Create(Guid.NewGuid(), new PlanDetails("Web tier", [new PlanVm("vm-1", "web", 1)], PlanMethod.Network, false, false, 15, null), Now);
}
