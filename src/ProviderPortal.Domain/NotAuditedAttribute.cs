namespace ProviderPortal.Domain;

/// <summary>
/// Machine-maintained state (a sync's progress, a copy of a platform's inventory) that the audit trail leaves
/// out: it records what people change, not what the portal observes.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false)]
public sealed class NotAuditedAttribute : Attribute
{
}
