using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using ProviderPortal.Data;
using Quartz;

namespace ProviderPortal.Web.Infrastructure.Health;

public static class HealthExtensions
{
    public static IServiceCollection AddPortalHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("database")
            .AddQuartz(configuration["Scheduler:Name"] ?? "ProviderPortal");
        return services;
    }

    /// <summary>/health: overall status and each check's status, with no exception details.</summary>
    public static IEndpointConventionBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }));
            },
        });
}
