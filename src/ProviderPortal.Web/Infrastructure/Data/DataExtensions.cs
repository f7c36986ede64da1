using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Audit;
using ProviderPortal.Data.Tenancy;

namespace ProviderPortal.Web.Infrastructure.Data;

public static class DataExtensions
{
    /// <summary>
    /// The portal's database: SQLite in the data folder unless Database:Provider says SqlServer.
    /// Contexts are scoped to a request or circuit, so each sees that scope's tenant.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<PortalDbContext>(
            (sp, options) =>
            {
                settings.Configure(options);
                var tenant = sp.GetRequiredService<ITenantContext>();
                options.AddInterceptors(
                    new TenantStampInterceptor(tenant),
                    new AuditInterceptor(tenant, sp.GetRequiredService<TimeProvider>()));
            },
            ServiceLifetime.Scoped);
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
