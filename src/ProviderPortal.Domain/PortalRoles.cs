namespace ProviderPortal.Domain;

/// <summary>The four roles of the portal (see DESIGN.md, "Users and roles").</summary>
public static class PortalRoles
{
    public const string ProviderAdmin = nameof(ProviderAdmin);
    public const string ProviderOperator = nameof(ProviderOperator);
    public const string TenantAdmin = nameof(TenantAdmin);
    public const string TenantMember = nameof(TenantMember);

    public static IReadOnlyList<string> All { get; } = [ProviderAdmin, ProviderOperator, TenantAdmin, TenantMember];

    public static bool IsTenantRole(string role) => role is TenantAdmin or TenantMember;

    public static string Describe(string role) => role switch
    {
        ProviderAdmin => "Provider administrator",
        ProviderOperator => "Provider operator",
        TenantAdmin => "Tenant administrator",
        TenantMember => "Tenant member",
        _ => role,
    };
}
