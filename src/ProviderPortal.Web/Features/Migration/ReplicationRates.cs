namespace ProviderPortal.Web.Features.Migration;

/// <summary>Megabits per second, as users set caps and throttles, to the bytes per second the engine enforces.</summary>
public static class ReplicationRates
{
    public static long? BytesPerSecond(int? mbps) => mbps is > 0 ? mbps.Value * 1_000_000L / 8 : null;
}
