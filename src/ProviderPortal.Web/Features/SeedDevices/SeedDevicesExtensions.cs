namespace ProviderPortal.Web.Features.SeedDevices;

public static class SeedDevicesExtensions
{
    /// <summary>The catalog and the orders. Notifications go through <see cref="Notifications.INotifier"/>, registered by its own feature.</summary>
    public static IServiceCollection AddPortalSeedDevices(this IServiceCollection services)
    {
        services.AddSingleton<SeedDeviceKeys>();
        services.AddScoped<SeedDeviceCatalogService>();
        services.AddScoped<SeedDeviceOrderService>();
        services.AddScoped<SeedDeviceRuns>();
        return services;
    }
}
