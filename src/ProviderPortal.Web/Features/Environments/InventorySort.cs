namespace ProviderPortal.Web.Features.Environments;

public enum InventorySort
{
    Name,
    PowerState,
    CpuCount,
    Memory,
    Capacity,
    Allocated,
    DiskCount,
    Snapshots,
    GuestOs,
    Host,
}
