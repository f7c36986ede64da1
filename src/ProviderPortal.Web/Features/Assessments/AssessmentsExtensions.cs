namespace ProviderPortal.Web.Features.Assessments;

public static class AssessmentsExtensions
{
    public static IServiceCollection AddPortalAssessments(this IServiceCollection services)
    {
        services.AddScoped<AssessmentSampler>();
        services.AddScoped<AssessmentScheduler>();
        services.AddScoped<AssessmentService>();
        services.AddScoped<AssessmentReportService>();
        services.AddScoped<SeedDeviceCatalog>();
        services.AddScoped<Plans.PlanService>();
        services.AddScoped<Operations.OperationsService>();
        return services;
    }
}
