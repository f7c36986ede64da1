using System.Net.Mail;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.SeedDevices;

/// <summary>Where a device is shipped and who takes it. <see cref="Country"/> is an ISO 3166 alpha-2 code (e.g. FR), one of <see cref="Countries"/>.</summary>
public sealed record ShippingAddress(
    string Recipient, string? Company, string Street, string? Street2, string PostalCode, string City, string Country, string ContactName, string ContactEmail, string Phone)
{
    /// <summary>Recipient, company and contact: room for a long name, not for a page of text.</summary>
    public const int MaxNameLength = 200;
    public const int MaxStreetLength = 200;
    public const int MaxPostalCodeLength = 20;
    public const int MaxCityLength = 100;
    public const int MaxPhoneLength = 40;

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        Required(errors, nameof(Recipient), Recipient, "Enter who receives the device.", "The recipient", MaxNameLength);
        Optional(errors, nameof(Company), Company, "The company", MaxNameLength);
        Required(errors, nameof(Street), Street, "Enter the street address.", "The street", MaxStreetLength);
        Optional(errors, nameof(Street2), Street2, "The second street line", MaxStreetLength);
        Required(errors, nameof(PostalCode), PostalCode, "Enter the postal code.", "The postal code", MaxPostalCodeLength);
        Required(errors, nameof(City), City, "Enter the city.", "The city", MaxCityLength);
        Required(errors, nameof(ContactName), ContactName, "Enter the contact's name.", "The contact's name", MaxNameLength);
        Required(errors, nameof(Phone), Phone, "Enter a phone number the carrier can call.", "The phone number", MaxPhoneLength);
        if (!Countries.IsCountry(Country))
        {
            errors[nameof(Country)] = "Choose the country from the list.";
        }

        if (EmailAddress.IsTooLong(ContactEmail))
        {
            errors[nameof(ContactEmail)] = EmailAddress.TooLongMessage;
        }
        else if (!MailAddress.TryCreate(ContactEmail?.Trim(), out var mail) || mail.Address != ContactEmail!.Trim())
        {
            errors[nameof(ContactEmail)] = "Enter the contact's email address, such as ops@example.com.";
        }

        return errors;
    }

    private static void Required(Dictionary<string, string> errors, string field, string? value, string missing, string named, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = missing;
        }
        else
        {
            Optional(errors, field, value, named, max);
        }
    }

    private static void Optional(Dictionary<string, string> errors, string field, string? value, string named, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = $"{named} can be at most {max} characters.";
        }
    }
}
