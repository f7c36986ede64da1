using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Domain.Tests;

/// <summary>The shared setup of the domain tests: valid inputs that each test changes one thing of.</summary>
internal static class Given
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static TenantDetails ValidDetails() =>
        new("Acme Corp", "acme-corp", "Ada Lovelace", "ada@acme.example", "UTC", 4, 1000);
}
