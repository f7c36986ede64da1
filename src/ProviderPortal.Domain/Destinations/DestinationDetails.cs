namespace ProviderPortal.Domain.Destinations;

/// <summary>
/// What a ProviderAdmin sets for a destination site. <see cref="Location"/> is a root folder (local storage) or an NBD
/// URI template with the placeholders {tenant}, {plan}, {vm} and {disk} (NBD), e.g. <c>nbd://10.0.0.5:10809/{tenant}-{vm}-{disk}</c>.
/// <see cref="Networks"/> are the destination networks a tenant maps its source networks onto.
/// </summary>
public sealed record DestinationDetails(string Name, DestinationKind Kind, string Location, IReadOnlyList<string> Networks)
{
    public const int MaxNameLength = 100;
    public const int MaxLocationLength = 400;
    public const int MaxNetworks = 64;

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = "Enter a name for the destination.";
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (!Enum.IsDefined(Kind))
        {
            errors[nameof(Kind)] = "Choose local storage or NBD.";
        }
        else if (LocationError(Kind, Location?.Trim() ?? "") is { } error)
        {
            errors[nameof(Location)] = error;
        }

        var networks = Networks.Select(n => n?.Trim() ?? "").ToList();
        if (networks.Count == 0)
        {
            errors[nameof(Networks)] = "Name at least one destination network.";
        }
        else if (networks.Count > MaxNetworks || networks.Any(n => n.Length is 0 or > 100))
        {
            errors[nameof(Networks)] = $"Each network needs a name of at most 100 characters; at most {MaxNetworks} networks.";
        }
        else if (networks.Distinct(StringComparer.OrdinalIgnoreCase).Count() != networks.Count)
        {
            errors[nameof(Networks)] = "Each network can be listed only once.";
        }

        return errors;
    }

    private static string? LocationError(DestinationKind kind, string location)
    {
        if (location.Length == 0)
        {
            return kind == DestinationKind.LocalStorage ? "Enter the root folder of the disk images." : "Enter the NBD URI template of the exports.";
        }

        if (location.Length > MaxLocationLength)
        {
            return $"The location can be at most {MaxLocationLength} characters.";
        }

        if (kind == DestinationKind.LocalStorage)
        {
            return Path.IsPathFullyQualified(location) ? null : "The root folder must be an absolute path, such as /var/lib/providerportal/destinations.";
        }

        if (!location.StartsWith("nbd://", StringComparison.Ordinal) && !location.StartsWith("nbds://", StringComparison.Ordinal))
        {
            return "The template must start with nbd:// or nbds://.";
        }

        if (!location.Contains("{vm}", StringComparison.Ordinal) || !location.Contains("{disk}", StringComparison.Ordinal) || !location.Contains("{tenant}", StringComparison.Ordinal))
        {
            return "The template must name each disk apart: use {tenant}, {vm} and {disk} (and {plan} if you like).";
        }

        var probe = location.Replace("{tenant}", "t", StringComparison.Ordinal).Replace("{plan}", "p", StringComparison.Ordinal)
            .Replace("{vm}", "v", StringComparison.Ordinal).Replace("{disk}", "d", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? null : "The template is not a valid NBD URI, such as nbd://storage.example:10809/{tenant}-{vm}-{disk}.";
    }
}
