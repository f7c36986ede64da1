using ProviderPortal.Domain.SeedDevices;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>A catalog entry as the catalog page and the order form show it; <see cref="Orders"/> counts every order of it.</summary>
public sealed record SeedDeviceModelRow(Guid Id, SeedDeviceModelDetails Details, bool Retired, int Orders)
{
    public string Name => Details.Name;
}
