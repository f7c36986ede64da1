using Microsoft.EntityFrameworkCore.Metadata;

namespace ProviderPortal.Web.Features.Audit;

/// <summary>
/// What turning entries into words needs besides the entries: the model (a property's type: an enum, a date, an id),
/// the names of what ids refer to, the reader's time zone, and what the reader may not see.
/// </summary>
public sealed class AuditWording(IModel? model, IReadOnlyDictionary<string, string> names, TimeZoneInfo zone, ProviderDetails hidden)
{
    private static readonly Dictionary<string, Type> IdentityTypes = new(StringComparer.Ordinal)
    {
        ["User"] = typeof(Data.PortalUser),
        ["UserRole"] = typeof(Microsoft.AspNetCore.Identity.IdentityUserRole<string>),
        ["UserToken"] = typeof(Microsoft.AspNetCore.Identity.IdentityUserToken<string>),
        ["UserClaim"] = typeof(Microsoft.AspNetCore.Identity.IdentityUserClaim<string>),
        ["Role"] = typeof(Microsoft.AspNetCore.Identity.IdentityRole),
    };

    /// <summary>Plain text, no model, nothing hidden: for text that is not an entry of a known type.</summary>
    public static AuditWording Plain { get; } = new(null, new Dictionary<string, string>(), TimeZoneInfo.Utc, ProviderDetails.None);

    public TimeZoneInfo Zone => zone;

    public ProviderDetails Hidden => hidden;

    /// <summary>The name of what an id refers to (a plan, a VM, an environment, a user...), if the reader can see it.</summary>
    public string? NameOf(string id) => names.TryGetValue(id, out var name) ? hidden.Scrub(name) : null;

    /// <summary>The .NET type of an entry's property (enums and ids are read by it), when the model knows it.</summary>
    public Type? PropertyType(string entityType, string property)
    {
        if (model is null)
        {
            return null;
        }

        var clrType = IdentityTypes.GetValueOrDefault(entityType);
        var entity = model.GetEntityTypes().FirstOrDefault(t => clrType is null ? t.ClrType.Name == entityType && !t.IsOwned() : t.ClrType == clrType);
        var type = entity?.FindProperty(property)?.ClrType;
        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }
}
