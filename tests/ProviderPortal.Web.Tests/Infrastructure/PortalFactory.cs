using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Notifications;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real portal over a real SQLite file in a fresh temp folder, in the Production environment unless a subclass
/// says otherwise (so error pages are what users see). First-run accounts get the passwords below.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test-Passw0rd-42";

    private static int _counter;

    /// <summary>The portal's data folder; a test that restarts the portal gives the second one the first one's.</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "pp-tests", $"{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}");

    /// <summary>Leave the data folder when disposed (a second portal is started on it).</summary>
    public bool KeepDataDirectory { get; init; }

    /// <summary>Every log entry the portal writes (its own at Debug and above), for tests about what is logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Replace the portal's notifier with a <see cref="RecordingNotifier"/> (see <see cref="Notifications"/>). Without it the
    /// recorder stands in only where the portal registers no notifier of its own.
    /// </summary>
    public bool RecordNotifications { get; init; }

    /// <summary>What the portal asked its notifier to tell (when the recorder is the notifier).</summary>
    public RecordingNotifier Notifications => Services.GetRequiredService<RecordingNotifier>();

    /// <summary>The hosting environment the portal runs in: Production, or Development as `dotnet run` starts it.</summary>
    protected virtual string EnvironmentName => "Production";

    /// <summary>Settings a test class adds or overrides before the portal starts.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        var settings = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = DataDirectory,
            ["Seed:Passwords:ProviderAdmin"] = Password,
            ["Seed:Passwords:ProviderOperator"] = Password,
            ["Seed:Passwords:TenantAdmin"] = Password,
            ["Seed:Passwords:TenantMember"] = Password,
            ["Email:SendIntervalSeconds"] = "1",
            ["Environments:RequestTimeoutSeconds"] = "10",

            // Each portal under test has the demo lab: its disks are written only where a test asks for it.
            ["Environments:PeriodicSync"] = "false",
            ["Environments:Lab:Workload"] = "false",

            // Worker processes are started only by the tests about them; the dispatcher looks at the queue every second.
            ["Workers:Local"] = "false",
            ["Replication:DispatchSeconds"] = "1",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.TryAddSingleton<RecordingNotifier>();
            if (RecordNotifications)
            {
                services.RemoveAll<INotifier>();
            }

            services.TryAddScoped<INotifier>(s => s.GetRequiredService<RecordingNotifier>());
        });

        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // The configured levels apply (as in production), and the portal's own debug entries too.
            logging.AddFilter<CapturedLogs>("ProviderPortal", LogLevel.Debug);
        });
    }

    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real login form; returns the browser with its cookie.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password = Password)
    {
        var browser = CreateBrowser();
        var response = await PostFormAsync(browser, "/Account/Login", "login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {response.StatusCode}\n{await response.Content.ReadAsStringAsync()}");
        }

        return browser;
    }

    /// <summary>GETs a static form page and posts the named form with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string formName, Dictionary<string, string> fields)
    {
        var page = await browser.GetStringAsync(url);
        var token = AntiforgeryToken(page);
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = token,
        };
        return await browser.PostAsync(url, new FormUrlEncodedContent(form));
    }

    public static string AntiforgeryToken(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Runs work against the database as the system (all tenants).</summary>
    public async Task<T> AsSystemAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().UseSystem("test");
        return await work(scope.ServiceProvider);
    }

    /// <summary>Creates a tenant with an administrator and a member (password <see cref="Password"/>).</summary>
    public Task<TestTenant> CreateTenantAsync(string slug) => AsSystemAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var tenant = Tenant.Create(new TenantDetails($"Tenant {slug}", slug, "Contact", $"contact@{slug}.example", "Europe/Paris", 2, 500), DateTimeOffset.UtcNow);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        async Task<PortalUser> CreateUser(string email, string role)
        {
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"{role} of {slug}", TenantId = tenant.Id, CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            return user;
        }

        var admin = await CreateUser($"admin@{slug}.example", PortalRoles.TenantAdmin);
        var member = await CreateUser($"member@{slug}.example", PortalRoles.TenantMember);
        return new TestTenant(tenant.Id, tenant.Name, slug, admin, member);
    });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !KeepDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // The SQLite file can still be held for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}

public sealed record TestTenant(Guid Id, string Name, string Slug, PortalUser Admin, PortalUser Member);
