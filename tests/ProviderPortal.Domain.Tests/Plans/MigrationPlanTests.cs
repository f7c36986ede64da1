using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Domain.Tests.Plans;

public class MigrationPlanTests
{
    private static PlanDetails Details(params PlanVm[] vms) => new(" Web tier ", vms, PlanMethod.Network, false, false, 15, null);

    [Fact]
    public void Create_Valid_DraftInBootOrderWithSafeDefaults()
    {
        var plan = MigrationPlan.Create(Guid.NewGuid(), Details(new PlanVm("vm-2", "db", 2), new PlanVm("vm-1", "web", 1)), Given.Now);

        Assert.Equal("Web tier", plan.Name);
        Assert.Equal(PlanStatus.Draft, plan.Status);
        Assert.Equal(["web", "db"], plan.Vms.Select(v => v.Name));
        Assert.False(plan.StartOnDestination);
        Assert.False(plan.RemoveSourceAfterSuccess);
        Assert.Null(plan.ForecastInitialCopy);
    }

    [Fact]
    public void Validate_EveryProblem_PlainMessages()
    {
        var errors = new PlanDetails(" ", [new PlanVm("a", "a", 0)], (PlanMethod)9, false, false, 1, 0).Validate();

        Assert.Equal(["Method", "Name", "SyncIntervalMinutes", "ThrottleMbps", "Vms"], errors.Keys.Order());
    }

    [Fact]
    public void Create_SameVmTwice_Refused()
    {
        var error = Assert.Throws<DomainException>(() => MigrationPlan.Create(Guid.NewGuid(), Details(new PlanVm("vm-1", "web", 1), new PlanVm("vm-1", "web", 2)), Given.Now));

        Assert.Contains("only once", error.Message);
    }
}
