namespace ProviderPortal.Domain.Plans;

/// <summary>A VM of a migration group, with its place in the boot order at the destination (1 boots first).</summary>
public sealed record PlanVm(string VmId, string Name, int BootOrder);
