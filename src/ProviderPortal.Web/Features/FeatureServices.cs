using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Audit;
using ProviderPortal.Web.Features.Destinations;
using ProviderPortal.Web.Features.Email;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Features.Invitations;
using ProviderPortal.Web.Features.Members;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Features.Workers;
using ProviderPortal.Web.Infrastructure.FirstRun;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features;

public static class FeatureServices
{
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EmailOptions>(configuration.GetSection("Email"));
        services.AddSingleton<MailDelivery>();
        services.AddScoped<InvitationService>();
        services.AddScoped<TenantService>();
        services.AddScoped<MemberService>();
        services.AddScoped<AuditService>();
        services.AddScoped<CurrentTenantInfo>();
        services.AddScoped<FirstRunSeeder>();
        services.AddScoped<UserPermissions>();
        services.AddScoped<DestinationService>();
        services.AddScoped<WorkerTokenService>();
        services.AddScoped<Home.StaffInboxService>();
        services.AddPortalEnvironments();
        services.AddPortalAssessments();
        services.AddPortalMigration(configuration);
        services.AddPortalWindows(configuration);
        services.AddPortalNotifications(configuration);
        services.AddPortalSeedDevices();
        return services;
    }
}
