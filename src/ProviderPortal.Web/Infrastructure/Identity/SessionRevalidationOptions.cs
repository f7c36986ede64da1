namespace ProviderPortal.Web.Infrastructure.Identity;

/// <summary>
/// How often a signed-in session is checked again against the database (<c>Identity:RevalidationSeconds</c>, a minute by
/// default): a sign-in cookie older than this is checked on its next request, an open page every this often. A suspended
/// tenant, a removed member or a changed password (a new security stamp) ends the session within this time.
/// </summary>
public sealed class SessionRevalidationOptions
{
    public const string ConfigurationKey = "Identity:RevalidationSeconds";

    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How old a check may be; zero checks every cookie on every request.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The period of the checks that run by themselves (open pages): the interval, but at least a second.</summary>
    public TimeSpan Period => Interval < ShortestPeriod ? ShortestPeriod : Interval;

    public static SessionRevalidationOptions From(IConfiguration configuration) =>
        new() { Interval = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue(ConfigurationKey, 60.0))) };
}
