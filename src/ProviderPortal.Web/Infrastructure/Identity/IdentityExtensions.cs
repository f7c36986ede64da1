using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using ProviderPortal.Data;
using ProviderPortal.Web.Components.Account;
using ProviderPortal.Web.Features.Email;

namespace ProviderPortal.Web.Infrastructure.Identity;

public static class IdentityExtensions
{
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        var lockout = configuration.GetSection("Identity:Lockout");
        services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = lockout.GetValue("MaxFailedAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.GetValue("Minutes", 15));
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        // Cookies, open pages and hub connections are re-checked every minute by default: a suspended tenant or a changed password ends
        // sessions quickly.
        var revalidation = SessionRevalidationOptions.From(configuration);
        services.AddSingleton(revalidation);
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<HubSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());
        services.AddSingleton<SignedInHubFilter>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = revalidation.Interval);
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
        });

        // Keys in the data folder: sign-ins survive a restart, and the nodes of a cluster share them.
        services.AddDataProtection()
            .SetApplicationName("ProviderPortal")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PortalSettings.DataDirectory(configuration), "keys")));

        services.AddSingleton<IAuthorizationHandler, TenantClaimRequirement>();
        services.AddAuthorization(Policies.Add);
        services.AddScoped<IEmailSender<PortalUser>, IdentityEmailSender>();
        return services;
    }
}
