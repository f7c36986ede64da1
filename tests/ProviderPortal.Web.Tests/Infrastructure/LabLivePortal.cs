namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>A live portal whose demo lab syncs at once and whose lab workload runs, as on a fresh machine.</summary>
public sealed class LabLivePortal : LivePortal
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Environments:PeriodicSync"] = "true",
        ["Environments:SyncCheckSeconds"] = "2",
        ["Environments:Lab:Workload"] = "true",
        ["Environments:Lab:CheckSeconds"] = "1",
    };
}
