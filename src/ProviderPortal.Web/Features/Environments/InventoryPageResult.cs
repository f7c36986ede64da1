using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Web.Features.Environments;

/// <summary>A page of inventory rows and how many VMs match in all.</summary>
public sealed record InventoryPageResult(IReadOnlyList<InventoryVm> Items, int TotalCount);
