using ProviderPortal.Connectors;
using ProviderPortal.Connectors.Common;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Web.Features.Environments;

public static class EnvironmentsExtensions
{
    public static IServiceCollection AddPortalEnvironments(this IServiceCollection services)
    {
        services.AddSingleton<ISourceConnectorFactory, SourceConnectorFactory>();
        services.AddSingleton<ICertificateProbe, CertificateProbe>();
        services.AddSingleton<EnvironmentSecrets>();
        services.AddSingleton<EnvironmentConnections>();
        services.AddScoped<InventorySyncScheduler>();
        services.AddScoped<InventorySync>();
        services.AddScoped<EnvironmentService>();
        services.AddScoped<InventoryService>();
        services.AddHostedService<LabWorkloadService>();
        return services;
    }
}
