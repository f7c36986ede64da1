using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.Assessments;

public static class AssessmentEndpoints
{
    /// <summary><c>GET /assessments/{id}/report.csv</c>: the per-VM table, for tenant users of the assessment's tenant only.</summary>
    public static IEndpointRouteBuilder MapAssessmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/assessments/{id:guid}/report.csv", async (Guid id, AssessmentReportService reports, CancellationToken cancellationToken) =>
            await reports.BuildAsync(id, cancellationToken) is { } report
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(AssessmentCsv.Write(report)), "text/csv; charset=utf-8", $"assessment-{SafeName(report.Assessment.Name)}.csv")
                : Results.NotFound())
            .RequireAuthorization(Policies.TenantUser);
        return endpoints;
    }

    private static string SafeName(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
