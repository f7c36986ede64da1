namespace ProviderPortal.Web.Features.Windows;

public static class WindowsExtensions
{
    public static IServiceCollection AddPortalWindows(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WindowOptions>(configuration.GetSection("Windows"));
        services.AddScoped<WindowService>();
        services.AddScoped<WindowClock>();
        services.AddScoped<CutoverNotices>();
        return services;
    }
}
