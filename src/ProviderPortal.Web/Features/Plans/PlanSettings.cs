using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Plans;

/// <summary>
/// What the settings dialog starts from: the plan's details, its destination and mappings so far, and the source networks
/// its VMs' NICs are attached to (each needs a destination network).
/// </summary>
public sealed record PlanSettings(Guid PlanId, string Name, PlanStatus Status, PlanDetails Details, Guid? DestinationId, IReadOnlyList<NetworkMapping> Mappings, IReadOnlyList<string> SourceNetworks);
