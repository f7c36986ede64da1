using System.Net.Mail;

namespace ProviderPortal.Domain.SeedDevices;

/// <summary>Where a device is shipped and who takes it. <see cref="Country"/> is an ISO 3166 alpha-2 code (e.g. FR), one of <see cref="Countries"/>.</summary>
public sealed record ShippingAddress(
    string Recipient, string? Company, string Street, string? Street2, string PostalCode, string City, string Country, string ContactName, string ContactEmail, string Phone)
{
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        Required(errors, nameof(Recipient), Recipient, "Enter who receives the device.");
        Required(errors, nameof(Street), Street, "Enter the street address.");
        Required(errors, nameof(PostalCode), PostalCode, "Enter the postal code.");
        Required(errors, nameof(City), City, "Enter the city.");
        Required(errors, nameof(ContactName), ContactName, "Enter the contact's name.");
        Required(errors, nameof(Phone), Phone, "Enter a phone number the carrier can call.");
        if (!Countries.IsCountry(Country))
        {
            errors[nameof(Country)] = "Choose the country from the list.";
        }

        if (!MailAddress.TryCreate(ContactEmail?.Trim(), out var mail) || mail.Address != ContactEmail!.Trim())
        {
            errors[nameof(ContactEmail)] = "Enter the contact's email address, such as ops@example.com.";
        }

        return errors;
    }

    private static void Required(Dictionary<string, string> errors, string field, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > 200)
        {
            errors[field] = message;
        }
    }
}
