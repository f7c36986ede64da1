namespace ProviderPortal.Domain.Environments;

/// <summary>
/// What a user types to register an environment; <see cref="Validate"/> says what is wrong in plain words.
/// A lab needs only a name; a vCenter needs an https endpoint and a user name; a Xen Orchestra an https endpoint.
/// Optional: a vCenter's NBD disk endpoint (instead of datastore reads), a Xen Orchestra's pool master (XAPI) for deltas.
/// </summary>
public sealed record EnvironmentDetails(string Name, EnvironmentKind Kind, string? Endpoint, string? UserName)
{
    public const int MaxNameLength = 100;
    public const int MaxEndpointLength = 400;
    public const int MaxUserNameLength = 200;

    /// <summary>A password or token: its encrypted form must fit the column (4,000) whatever its characters.</summary>
    public const int MaxSecretLength = 500;

    /// <summary>vCenter only: snapshot disks are read from this NBD location; placeholders {vm}, {snapshot}, {disk}.</summary>
    public string? NbdUriTemplate { get; init; }

    /// <summary>Xen Orchestra only: the pool master's XAPI address, for changed blocks (CBT) and NBD reads.</summary>
    public string? HypervisorEndpoint { get; init; }

    public string? HypervisorUserName { get; init; }

    /// <summary>The errors, keyed by field name; empty when the details are valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = "Enter a name for the environment.";
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (!Enum.IsDefined(Kind))
        {
            errors[nameof(Kind)] = "Choose vCenter, Xen Orchestra or Lab.";
            return errors;
        }

        if (Kind == EnvironmentKind.Lab)
        {
            return errors;
        }

        if (EndpointError(Endpoint) is { } endpointError)
        {
            errors[nameof(Endpoint)] = endpointError;
        }

        if (Kind == EnvironmentKind.VCenter && NbdTemplateError(NbdUriTemplate) is { } nbdError)
        {
            errors[nameof(NbdUriTemplate)] = nbdError;
        }

        if (Kind == EnvironmentKind.XenOrchestra && !string.IsNullOrWhiteSpace(HypervisorEndpoint))
        {
            if (EndpointError(HypervisorEndpoint) is { } hypervisorError)
            {
                errors[nameof(HypervisorEndpoint)] = hypervisorError;
            }

            if (string.IsNullOrWhiteSpace(HypervisorUserName))
            {
                errors[nameof(HypervisorUserName)] = "Enter the pool master's user name, like root.";
            }
        }

        if (Kind == EnvironmentKind.VCenter && string.IsNullOrWhiteSpace(UserName))
        {
            errors[nameof(UserName)] = "Enter the vCenter user name, like migration@vsphere.local.";
        }
        else if (UserName is { Length: > MaxUserNameLength })
        {
            errors[nameof(UserName)] = $"The user name can be at most {MaxUserNameLength} characters.";
        }

        return errors;
    }

    /// <summary>The endpoint as a URL: https, a host, no credentials in it, no query.</summary>
    public static Uri? ParseEndpoint(string? endpoint) => EndpointError(endpoint) is null ? new Uri(endpoint!.Trim()) : null;

    private static string? EndpointError(string? endpoint)
    {
        const string Example = "Enter the address as https://host.example.com (or https://10.0.0.5:8443).";
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return Example;
        }

        if (endpoint.Trim().Length > MaxEndpointLength)
        {
            return $"The address can be at most {MaxEndpointLength} characters.";
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return $"\"{Shorten(endpoint)}\" is not a web address. {Example}";
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return "The address must start with https://: credentials are never sent unencrypted.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Leave the user name and password out of the address; enter them in their own fields.";
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return "The address cannot have a query (?…) or a fragment (#…).";
        }

        return null;
    }

    private static string? NbdTemplateError(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return null;
        }

        var sample = template.Trim().Replace("{vm}", "vm-1", StringComparison.Ordinal)
            .Replace("{snapshot}", "snapshot-1", StringComparison.Ordinal).Replace("{disk}", "2000", StringComparison.Ordinal);
        if (template.Length > MaxEndpointLength || !ProviderPortal.Replication.Nbd.NbdUri.TryParse(sample, out _, out _))
        {
            return "Enter an NBD location such as nbd://nbd.provider.example:10809/{vm}-{disk}, or leave it empty to read disks from the datastores.";
        }

        return template.Contains("{disk}", StringComparison.Ordinal)
            ? null
            : "The NBD location must name the disk with {disk} (and usually {vm}), so each disk reads its own export.";
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.Trim() : text.Trim()[..57] + "...";
}
