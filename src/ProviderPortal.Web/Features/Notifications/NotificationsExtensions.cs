namespace ProviderPortal.Web.Features.Notifications;

public static class NotificationsExtensions
{
    /// <summary>The notifier (scoped, beside the scope's context), the bell's service, and the live push.</summary>
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection("Notifications"));
        services.AddSingleton<NotificationSignals>();
        services.AddSingleton<NotificationPublisher>();
        services.AddSingleton<PortalAddress>();
        services.AddScoped<INotifier, Notifier>();
        services.AddScoped<NotificationCenter>();
        return services;
    }
}
