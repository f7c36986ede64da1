using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;

namespace ProviderPortal.Domain.Tenants;

/// <summary>What a provider administrator types for a tenant; <see cref="Validate"/> says what is wrong in plain words.</summary>
public sealed record TenantDetails(
    string Name,
    string Slug,
    string ContactName,
    string ContactEmail,
    string TimeZoneId,
    int MaxConcurrentReplications,
    int BandwidthCapMbps)
{
    public const int MaxNameLength = 100;
    public const int MaxSlugLength = 40;
    public const int MaxContactNameLength = 200;
    public const int MaxConcurrentReplicationsLimit = 100;
    public const int MaxBandwidthCapMbps = 400_000;

    /// <summary>The errors, keyed by field name; empty when the details are valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = "Enter the tenant's name.";
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (!TenantSlug.IsValid(Slug))
        {
            errors[nameof(Slug)] = $"The short name must be 2 to {MaxSlugLength} lower-case letters, digits or hyphens, starting with a letter (for example \"acme-corp\").";
        }

        if (string.IsNullOrWhiteSpace(ContactName))
        {
            errors[nameof(ContactName)] = "Enter the name of the tenant's contact person.";
        }
        else if (ContactName.Trim().Length > MaxContactNameLength)
        {
            errors[nameof(ContactName)] = $"The contact name can be at most {MaxContactNameLength} characters.";
        }

        if (EmailAddress.IsTooLong(ContactEmail))
        {
            errors[nameof(ContactEmail)] = EmailAddress.TooLongMessage;
        }
        else if (!EmailAddress.IsValid(ContactEmail))
        {
            errors[nameof(ContactEmail)] = "Enter a valid email address, like name@example.com.";
        }

        if (!TimeZones.IsKnown(TimeZoneId))
        {
            errors[nameof(TimeZoneId)] = "Choose a time zone from the list.";
        }

        if (MaxConcurrentReplications is < 1 or > MaxConcurrentReplicationsLimit)
        {
            errors[nameof(MaxConcurrentReplications)] = $"Concurrent replications must be between 1 and {MaxConcurrentReplicationsLimit}.";
        }

        if (BandwidthCapMbps is < 1 or > MaxBandwidthCapMbps)
        {
            errors[nameof(BandwidthCapMbps)] = $"The bandwidth cap must be between 1 and {MaxBandwidthCapMbps:N0} Mbit/s.";
        }

        return errors;
    }
}

public static partial class TenantSlug
{
    public static bool IsValid(string? slug) =>
        slug is { Length: >= 2 and <= TenantDetails.MaxSlugLength } && SlugPattern().IsMatch(slug);

    /// <summary>A suggestion for the short name, made from the tenant's name; empty when none can be made.</summary>
    public static string Suggest(string name)
    {
        // "Müller" becomes "muller": accents are dropped rather than turned into hyphens.
        var plain = new string(name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var lowered = NonSlugCharacters().Replace(plain, "-").Trim('-');
        lowered = RepeatedHyphens().Replace(lowered, "-");
        if (lowered.Length == 0 || !char.IsAsciiLetterLower(lowered[0]))
        {
            lowered = "t-" + lowered;
        }

        // Cut after the prefix, so the prefix cannot push the suggestion past the limit.
        var suggestion = lowered.Length > TenantDetails.MaxSlugLength ? lowered[..TenantDetails.MaxSlugLength].TrimEnd('-') : lowered;
        return IsValid(suggestion) ? suggestion : "";
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlugCharacters();

    [GeneratedRegex("-{2,}")]
    private static partial Regex RepeatedHyphens();
}

public static class EmailAddress
{
    /// <summary>RFC 5321: the longest address a mail server passes on.</summary>
    public const int MaxLength = 254;

    public static readonly string TooLongMessage = $"An email address can be at most {MaxLength} characters.";

    /// <summary>Longer than any address can be: say so, rather than that it is malformed.</summary>
    public static bool IsTooLong(string? address) => address is not null && address.Trim().Length > MaxLength;

    public static bool IsValid(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > MaxLength || address.Trim() != address)
        {
            return false;
        }

        return MailAddress.TryCreate(address, out var parsed)
            && parsed.Address == address
            && parsed.Host.Contains('.', StringComparison.Ordinal);
    }

    public static string Normalize(string address) => address.Trim().ToLowerInvariant();
}

public static class TimeZones
{
    public static bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
