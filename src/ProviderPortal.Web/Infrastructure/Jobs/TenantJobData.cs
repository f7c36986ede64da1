using Quartz;

namespace ProviderPortal.Web.Infrastructure.Jobs;

/// <summary>
/// The data of a job that works inside one tenant: the tenant's id and the id of what it works on, as strings (only
/// primitives in a JobDataMap). A job enters the tenant's scope from them, so it can touch nothing of another tenant.
/// </summary>
public static class TenantJobData
{
    public const string TenantIdKey = "tenantId";
    public const string SubjectIdKey = "subjectId";

    public static JobDataMap For(Guid tenantId, Guid subjectId) => new()
    {
        [TenantIdKey] = tenantId.ToString(),
        [SubjectIdKey] = subjectId.ToString(),
    };

    public static bool TryRead(IJobExecutionContext context, out Guid tenantId, out Guid subjectId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        subjectId = Guid.Empty;
        return Guid.TryParse(data.GetString(TenantIdKey), out tenantId) && Guid.TryParse(data.GetString(SubjectIdKey), out subjectId);
    }
}
