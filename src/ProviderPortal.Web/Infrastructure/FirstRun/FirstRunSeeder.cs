using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Web.Infrastructure.FirstRun;

/// <summary>
/// On an empty database: the four roles, a provider administrator and operator, and a demo tenant
/// with an administrator, a member and a lab environment (so the portal can be tried end to end at once;
/// its first inventory sync is picked up by the periodic sync check). Passwords come from Seed:Passwords:ROLE or are generated and
/// printed once to the console, never to the log.
/// </summary>
public sealed class FirstRunSeeder(
    PortalDbContext db,
    TenantScope scope,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<FirstRunSeeder> logger)
{
    public const string DemoTenantSlug = "demo";

    public const string DemoLabName = "Demo lab";

    public const string LocalDestinationName = "Local lab storage";

    public static readonly IReadOnlyList<(string Role, string Email, string Name)> Accounts =
    [
        (PortalRoles.ProviderAdmin, "admin@provider.example", "Provider Admin"),
        (PortalRoles.ProviderOperator, "operator@provider.example", "Provider Operator"),
        (PortalRoles.TenantAdmin, "admin@demo.example", "Demo Admin"),
        (PortalRoles.TenantMember, "member@demo.example", "Demo Member"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        await SeedDestinationAsync(cancellationToken);
        await SeedDeviceCatalogAsync(cancellationToken);

        if (await db.Users.AnyAsync(cancellationToken) || !configuration.GetValue("Seed:FirstRunAccounts", true))
        {
            return;
        }

        // All or nothing: a first start that stops half way (a configured password the policy refuses, the process killed)
        // leaves no demo tenant without its accounts or its lab behind, so the next start makes them all again.
        var printed = await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                db.ChangeTracker.Clear();
                scope.UseSystem("first run");
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var lines = await CreateDemoAsync(ct);
                await transaction.CommitAsync(ct);
                return lines;
            },
            cancellationToken);

        logger.LogInformation("First run: created the demo tenant and {Count} accounts; their passwords are on the console.", Accounts.Count);

        // The console, not the logger: structured log sinks must never hold a password.
        Console.WriteLine();
        Console.WriteLine("ProviderPortal first run: these accounts were created. The passwords are shown only this once.");
        printed.ForEach(Console.WriteLine);
        Console.WriteLine();
    }

    /// <summary>The demo tenant, the four accounts and the demo lab; returns the console lines that show the passwords.</summary>
    private async Task<List<string>> CreateDemoAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var demo = Tenant.Create(
            new TenantDetails("Demo Corp", DemoTenantSlug, "Demo Admin", "admin@demo.example", "Europe/Berlin", 4, 1000),
            now);
        db.Tenants.Add(demo);
        await db.SaveChangesAsync(cancellationToken);

        var printed = new List<string>();
        foreach (var (role, email, name) in Accounts)
        {
            var configured = configuration[$"Seed:Passwords:{role}"];
            var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
            var user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = name,
                TenantId = PortalRoles.IsTenantRole(role) ? demo.Id : null,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user, password));
            Check(await users.AddToRoleAsync(user, role));
            printed.Add($"  {role,-17} {email,-28} {(string.IsNullOrEmpty(configured) ? password : "(password from Seed:Passwords)")}");
        }

        scope.UseTenant(demo.Id, "first run");
        db.Environments.Add(SourceEnvironment.Register(new EnvironmentDetails(DemoLabName, EnvironmentKind.Lab, null, null), null, null, verified: true, now));
        await db.SaveChangesAsync(cancellationToken);
        return printed;
    }

    /// <summary>
    /// A local-storage destination under the data folder, so plans can run out of the box; only while there is none
    /// (a provider administrator adds the real ones and may retire this one).
    /// </summary>
    private async Task SeedDestinationAsync(CancellationToken cancellationToken)
    {
        if (await db.DestinationSites.AnyAsync(cancellationToken))
        {
            return;
        }

        var root = Path.Combine(PortalSettings.DataDirectory(configuration), "destinations");
        Directory.CreateDirectory(root);
        db.DestinationSites.Add(DestinationSite.Create(new DestinationDetails(LocalDestinationName, DestinationKind.LocalStorage, root, ["prod", "dmz"]), clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("First run: added the destination {Name} under the data folder", LocalDestinationName);
    }

    /// <summary>
    /// The configured seed-device models (<c>Assessments:SeedDevices</c>), only while the catalog is empty: from then on the
    /// database is the catalog and a provider administrator manages it.
    /// </summary>
    private async Task SeedDeviceCatalogAsync(CancellationToken cancellationToken)
    {
        if (await db.SeedDeviceModels.AnyAsync(cancellationToken))
        {
            return;
        }

        var configured = Features.Assessments.SeedDeviceCatalog.FromConfiguration(configuration)
            .DistinctBy(d => d.Name.Trim(), StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var details in configured)
        {
            db.SeedDeviceModels.Add(SeedDeviceModel.Create(details));
        }

        if (configured.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("First run: added {Count} seed-device models from configuration to the catalog", configured.Count);
        }
    }

    public static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        const string all = lower + upper + digits;
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        // One of each class, at random places, so every generated password meets the policy.
        chars[0] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[1] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("First run failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
