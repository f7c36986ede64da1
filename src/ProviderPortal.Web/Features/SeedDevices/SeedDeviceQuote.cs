namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// What ordering devices for a plan means: the bytes to load (the allocated bytes of the plan's VMs as the inventory last
/// saw them, their capacity where the platform does not tell) and, per offered model, how many devices and how long loading takes.
/// </summary>
/// <param name="VmsNotInInventory">VMs of the plan the inventory no longer has: they count for nothing.</param>
public sealed record SeedDeviceQuote(Guid PlanId, string PlanName, bool SeedDeviceMethod, long BytesToLoad, int VmsNotInInventory, IReadOnlyList<SeedDeviceOption> Options, bool HasOpenOrder);

/// <param name="DeviceCount">Null when there is nothing to load.</param>
public sealed record SeedDeviceOption(SeedDeviceModelRow Model, int? DeviceCount, TimeSpan LoadTime);
