using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one bUnit setup of this project: MudBlazor services, loose JS interop, and bUnit's fake
/// authentication state evaluated by the portal's real policies and tenant-claim handler.
/// </summary>
public static class BunitSetup
{
    public static BunitAuthorizationContext AddPortalComponents(this BunitContext context)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        var authorization = context.AddAuthorization();

        // bUnit's fake service only knows the policies it is told; the real one evaluates Policies.Add.
        context.Services.AddAuthorizationCore(Policies.Add);
        context.Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        context.Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        context.Services.AddSingleton<IAuthorizationHandler, TenantClaimRequirement>();
        return authorization;
    }

    /// <summary>
    /// What MainLayout needs besides: CurrentTenantInfo over a real SQLite in-memory database (kept open
    /// by the returned connection), a tenant scope, an antiforgery token for the sign-out form, and the bell's
    /// notification services (their live push through in-process SignalR, as on a portal node without Redis).
    /// </summary>
    public static SqliteConnection AddPortalLayout(this BunitContext context, TenantScope scope)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        context.Services.AddSingleton(scope);
        context.Services.AddSingleton<ITenantContext>(scope);
        context.Services.AddDbContextFactory<PortalDbContext>(o => o.UseSqlite(connection), ServiceLifetime.Scoped);
        context.Services.AddScoped<CurrentTenantInfo>();
        context.Services.TryAddSingleton(TimeProvider.System);
        context.Services.AddLogging();
        context.Services.AddSignalR();
        context.Services.AddPortalNotifications(new ConfigurationBuilder().Build());
        context.Services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgeryStateProvider>();
        return connection;
    }

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
