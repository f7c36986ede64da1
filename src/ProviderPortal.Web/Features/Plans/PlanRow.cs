using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Plans;

public sealed record PlanRow(
    Guid Id,
    string Name,
    string EnvironmentName,
    PlanStatus Status,
    IReadOnlyList<PlanVm> Vms,
    PlanMethod Method,
    bool StartOnDestination,
    bool RemoveSourceAfterSuccess,
    int SyncIntervalMinutes,
    int? ThrottleMbps,
    Guid? AssessmentId,
    TimeSpan? ForecastInitialCopy,
    TimeSpan? ForecastDowntime,
    TimeSpan? ForecastWindow,
    DateTimeOffset CreatedAt,
    string? DestinationName);
